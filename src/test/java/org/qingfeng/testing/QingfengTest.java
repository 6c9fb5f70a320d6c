package org.qingfeng.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs PostgreSQL and Kafka: declare a {@link TestInfra} parameter
 * (in a static @BeforeAll or a test method) to receive the class's own database and topics.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(QingfengExtension.class)
public @interface QingfengTest {
}
