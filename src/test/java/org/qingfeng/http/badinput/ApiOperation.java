package org.qingfeng.http.badinput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/** One operation of the served OpenAPI document, reduced to what the bad-input probes need. */
record ApiOperation(String method, String path, Security security, Map<String, String> pathParams,
    Map<String, String> queryParams, String bodyType, boolean bodyRequired, Map<String, String> bodyProperties,
    Set<Integer> declared) {

  enum Security { BEARER, DEVICE, NONE }

  String key() {
    return method + " " + path;
  }

  boolean hasJsonBody() {
    return "application/json".equals(bodyType);
  }

  boolean sendsBody() {
    return !method.equals("GET");
  }

  /** Every operation of the document, in document order. */
  @SuppressWarnings("unchecked")
  static List<ApiOperation> parse(String yaml) {
    Map<String, Object> doc = new Yaml().load(yaml);
    Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
    Security global = security(doc.get("security"), Security.NONE);
    List<ApiOperation> ops = new ArrayList<>();
    ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, item) -> {
      List<Object> shared = (List<Object>) item.getOrDefault("parameters", List.of());
      item.forEach((method, value) -> {
        if (method.equals("parameters")) {
          return;
        }
        Map<String, Object> op = (Map<String, Object>) value;
        Map<String, String> inPath = new LinkedHashMap<>();
        Map<String, String> inQuery = new LinkedHashMap<>();
        List<Object> params = new ArrayList<>(shared);
        params.addAll((List<Object>) op.getOrDefault("parameters", List.of()));
        for (Object p : params) {
          Map<String, Object> param = (Map<String, Object>) p;
          String type = type(param.get("schema"), schemas);
          if ("path".equals(param.get("in"))) {
            inPath.put((String) param.get("name"), type);
          } else if ("query".equals(param.get("in"))) {
            inQuery.put((String) param.get("name"), type);
          }
        }
        // A path template names its parameters even where the document forgot to declare them.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path);
        while (m.find()) {
          inPath.putIfAbsent(m.group(1), "string");
        }
        String bodyType = null;
        boolean bodyRequired = false;
        Map<String, String> props = new LinkedHashMap<>();
        Map<String, Object> body = (Map<String, Object>) op.get("requestBody");
        if (body != null) {
          bodyRequired = Boolean.TRUE.equals(body.get("required"));
          Map<String, Object> content = (Map<String, Object>) body.get("content");
          bodyType = content.keySet().iterator().next();
          Map<String, Object> schema = resolve((Map<String, Object>) ((Map<String, Object>) content.get(bodyType)).get("schema"), schemas);
          Map<String, Object> properties = schema == null ? null : (Map<String, Object>) schema.get("properties");
          if (properties != null) {
            properties.forEach((name, s) -> props.put(name, type(s, schemas)));
          }
        }
        Set<Integer> declared = new LinkedHashSet<>();
        ((Map<Object, Object>) op.get("responses")).keySet().forEach(k -> declared.add(Integer.parseInt(String.valueOf(k))));
        ops.add(new ApiOperation(method.toUpperCase(), path, security(op.get("security"), global), inPath, inQuery,
            bodyType, bodyRequired, props, declared));
      });
    });
    return ops;
  }

  @SuppressWarnings("unchecked")
  private static Security security(Object value, Security fallback) {
    if (value == null) {
      return fallback;
    }
    List<Map<String, Object>> list = (List<Map<String, Object>>) value;
    if (list.isEmpty()) {
      return Security.NONE;
    }
    return list.get(0).containsKey("device") ? Security.DEVICE : Security.BEARER;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resolve(Map<String, Object> schema, Map<String, Object> schemas) {
    if (schema != null && schema.get("$ref") != null) {
      String ref = (String) schema.get("$ref");
      return resolve((Map<String, Object>) schemas.get(ref.substring(ref.lastIndexOf('/') + 1)), schemas);
    }
    return schema;
  }

  @SuppressWarnings("unchecked")
  private static String type(Object schema, Map<String, Object> schemas) {
    Map<String, Object> s = resolve((Map<String, Object>) schema, schemas);
    Object t = s == null ? null : s.get("type");
    return t == null ? "string" : (String) t;
  }
}
