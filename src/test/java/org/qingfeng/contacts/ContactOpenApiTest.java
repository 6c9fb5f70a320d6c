package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/** Every contacts, opt-out and template endpoint is in the OpenAPI document, with its errors, and every $ref resolves. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContactOpenApiTest {
  @Test
  @SuppressWarnings("unchecked")
  void endpointsAndReferences() throws Exception {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, Object> doc = new Yaml().load(text);
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
    Map<String, List<String>> expected = Map.of(
        "/api/v1/contacts/import", List.of("post"),
        "/api/v1/contacts", List.of("get"),
        "/api/v1/contacts/{id}", List.of("get", "delete"),
        "/api/v1/opt-outs", List.of("get", "post"),
        "/api/v1/opt-outs/{phone}", List.of("delete"),
        "/api/v1/templates", List.of("get", "post"),
        "/api/v1/templates/{id}", List.of("get", "put", "delete"),
        "/api/v1/templates/{id}/preview", List.of("post"));
    expected.forEach((path, methods) -> {
      assertThat(paths).containsKey(path);
      for (String m : methods) {
        Map<String, Object> op = (Map<String, Object>) paths.get(path).get(m);
        assertThat(op).as("%s %s", m, path).isNotNull();
        Map<Object, Object> responses = (Map<Object, Object>) op.get("responses");
        assertThat(responses.keySet().stream().map(String::valueOf)).as("%s %s errors", m, path).contains("401");
      }
    });
    assertThat(((Map<Object, Object>) ((Map<String, Object>) paths.get("/api/v1/contacts/import").get("post")).get("responses"))
        .keySet().stream().map(String::valueOf)).contains("413", "415", "422");
    Matcher refs = Pattern.compile("\\$ref: '#/components/(\\w+)/(\\w+)'").matcher(text);
    Map<String, Map<String, Object>> components = (Map<String, Map<String, Object>>) doc.get("components");
    while (refs.find()) {
      assertThat(components.get(refs.group(1))).as(refs.group()).containsKey(refs.group(2));
    }
  }
}
