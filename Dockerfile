# syntax=docker/dockerfile:1
# Build stage: Maven + JDK 17 build the one runnable jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q package -DskipTests

# Runtime stage: a Java 17 runtime and the jar, run as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system qingfeng && useradd --system --gid qingfeng --home-dir /var/lib/qingfeng qingfeng \
 && mkdir -p /var/lib/qingfeng /etc/qingfeng && chown qingfeng:qingfeng /var/lib/qingfeng
COPY --from=build /src/target/qingfeng.jar /opt/qingfeng/qingfeng.jar
COPY conf/qingfeng.yaml /etc/qingfeng/qingfeng.yaml
USER qingfeng
WORKDIR /var/lib/qingfeng
# The heap is sized once, and G1 starts marking at its fixed 45 % of it: its adaptive threshold,
# tuned by a receipt sink's allocation rate, fell so low that every Kafka fetch buffer (~1.2 MB,
# a humongous object) started a marking cycle (BENCHMARKS.md, receipt sink, 2026-12-07 night).
# Every setting can come from the environment (QINGFENG_*); point these at real services in
# production. Left empty, the server runs embedded PostgreSQL and Kafka under QINGFENG_DATA_DIR.
ENV QINGFENG_DATA_DIR=/var/lib/qingfeng/data \
    QINGFENG_HTTP_PORT=8080 \
    QINGFENG_POSTGRES_URL= \
    QINGFENG_KAFKA_BOOTSTRAP_SERVERS= \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=75 -XX:-G1UseAdaptiveIHOP"
VOLUME ["/var/lib/qingfeng/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/${QINGFENG_HTTP_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/opt/qingfeng/qingfeng.jar"]
CMD ["serve", "--config", "/etc/qingfeng/qingfeng.yaml"]
