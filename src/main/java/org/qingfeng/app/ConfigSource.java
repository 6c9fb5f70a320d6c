package org.qingfeng.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Layers configuration: the documented defaults shipped in the jar (a copy of
 * conf/qingfeng.yaml), then the operator's file, then QINGFENG_* environment variables.
 * Keys are flattened to dotted paths; the defaults define which keys exist, so a typo in
 * the operator's file is reported instead of silently ignored.
 */
public final class ConfigSource {
  static final String DEFAULTS_RESOURCE = "/defaults/qingfeng.yaml";
  /** Subtrees whose shape is free-form (lists of maps); they are kept whole, not flattened. */
  private static final List<String> OPAQUE_KEYS = List.of("sms.channels");

  private final Map<String, Object> values;

  private ConfigSource(Map<String, Object> values) {
    this.values = values;
  }

  public static ConfigSource load(Path file, Map<String, String> env) {
    Map<String, Object> merged = new LinkedHashMap<>();
    flatten("", readDefaults(), merged);
    if (file != null) {
      Map<String, Object> fromFile = new LinkedHashMap<>();
      flatten("", readFile(file), fromFile);
      for (Map.Entry<String, Object> e : fromFile.entrySet()) {
        if (!merged.containsKey(e.getKey())) {
          throw new ConfigException(e.getKey(), "unknown key in " + file);
        }
        merged.put(e.getKey(), e.getValue());
      }
    }
    for (String key : List.copyOf(merged.keySet())) {
      String override = env.get(envName(key));
      if (override != null) {
        merged.put(key, override);
      }
    }
    // Secrets that are deliberately not in the file.
    env.forEach((name, value) -> {
      if (name.equals("QINGFENG_POSTGRES_PASSWORD")) {
        merged.put("postgres.password", value);
      }
    });
    return new ConfigSource(merged);
  }

  public static String envName(String key) {
    return "QINGFENG_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public Object raw(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalStateException("no such configuration key: " + key);
    }
    return values.get(key);
  }

  public String string(String key) {
    Object v = raw(key);
    return v == null ? "" : v.toString().trim();
  }

  public int integer(String key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  public long longValue(String key, long min, long max) {
    String s = string(key);
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + s + "' is not a whole number (set it via " + envName(key) + " or the config file)");
    }
    if (v < min || v > max) {
      throw new ConfigException(key, v + " is out of range " + min + ".." + max);
    }
    return v;
  }

  public boolean bool(String key) {
    String s = string(key).toLowerCase(Locale.ROOT);
    switch (s) {
      case "true": case "yes": case "on": case "1": return true;
      case "false": case "no": case "off": case "0": case "": return false;
      default: throw new ConfigException(key, "'" + s + "' is not true or false");
    }
  }

  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> listOfMaps(String key) {
    Object v = raw(key);
    if (v == null || "".equals(v)) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new ConfigException(key, "must be a list");
    }
    for (Object item : (List<Object>) v) {
      if (!(item instanceof Map)) {
        throw new ConfigException(key, "every entry must be a map of settings");
      }
    }
    return (List<Map<String, Object>>) v;
  }

  private static Map<String, Object> readDefaults() {
    try (InputStream in = ConfigSource.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("built-in defaults " + DEFAULTS_RESOURCE + " missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS_RESOURCE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config", "file " + file + " does not exist");
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString());
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> parse(Object text, String where) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Object doc;
    try {
      doc = text instanceof Reader ? yaml.load((Reader) text) : yaml.load((String) text);
    } catch (RuntimeException e) {
      throw new ConfigException("--config", where + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map)) {
      throw new ConfigException("--config", where + " must be a YAML map of settings");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) doc;
    return map;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> tree, Map<String, Object> out) {
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map && !OPAQUE_KEYS.contains(key)) {
        flatten(key, (Map<String, Object>) v, out);
      } else {
        out.put(key, v);
      }
    }
  }
}
