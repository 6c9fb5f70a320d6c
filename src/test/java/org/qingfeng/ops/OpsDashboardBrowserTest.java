package org.qingfeng.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * The ops page in a real browser (headless Chromium driven by Selenium): nothing without a token,
 * sign-in with a viewer token, a demo blast against the simulator moves the numbers and draws the
 * chart, the layout fits 1366x768 without overlaps, the English switch works; a screenshot is
 * saved as target/ops-dashboard.png. Skips itself when Chromium is not installed (.ci/run installs it).
 */
@QingfengTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OpsDashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static QingfengServer server;
  static Http http;
  static ChromeDriver browser;
  static Path profile;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "headless Chromium is not installed (/usr/bin/chromium, /usr/bin/chromedriver): "
            + "apt-get install -y chromium chromium-driver, as .ci/run does; skipping the browser test");
    server = infra.startServer(Map.of("QINGFENG_SMS_SIMULATOR_RECEIPT_DELAY_MS", "100"));
    http = new Http(server.httpPort());
    Http.await(server.smsChannels().orElseThrow().channel("sim").orElseThrow().awaitBound());
    profile = Files.createTempDirectory("qingfeng-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--window-size=1366,768", "--lang=zh-CN");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void viewerWatchesABlastLive() throws Exception {
    String viewer = OpsTestKit.token(http, "viewer");
    String operator = OpsTestKit.token(http, "operator");
    String approver = OpsTestKit.token(http, "approver");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get("http://127.0.0.1:" + server.httpPort() + "/ops/");

    // Without a token: a sign-in form, and no dashboard.
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("清风 · 运维监控");
    assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
    browser.findElement(By.id("token")).sendKeys("qf_not-a-token");
    browser.findElement(By.id("signin-button")).click();
    wait.until(d -> !d.findElement(By.id("signin-error")).getText().isEmpty());
    assertThat(browser.findElement(By.id("signin-error")).getText()).isEqualTo("令牌无效或已撤销");
    assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();

    // A viewer token: the dashboard, live.
    browser.findElement(By.id("token")).clear();
    browser.findElement(By.id("token")).sendKeys(viewer);
    browser.findElement(By.id("signin-button")).click();
    wait.until(d -> d.findElement(By.id("dashboard")).isDisplayed());
    wait.until(d -> "实时".equals(d.findElement(By.id("conn")).getText()));
    wait.until(d -> ((Number) browser.executeScript("return document.querySelectorAll('#channels td.state-BOUND').length")).intValue() == 1);

    long campaign = OpsTestKit.blast(http, server.pool(), operator, approver, "ops-browser", 3_000_000, 4000, 200);
    // The page re-renders every second: read numbers in one script call, never through a held element.
    String delivered = "[data-campaign-id='" + campaign + "'] b[data-stage='delivered']";
    wait.withTimeout(Duration.ofSeconds(60)).until(d -> number(delivered) > 0);
    long first = number(delivered);
    wait.until(d -> number(delivered) > first);
    wait.until(d -> number("#channels tr td:nth-child(4)") > 0); // the channel's submits per second

    // The chart draws: points above zero, and pixels on the canvas.
    JavascriptExecutor js = browser;
    wait.until(d -> ((Number) js.executeScript("return Chart.getChart('rate-chart').data.datasets[1].data"
        + ".filter(v => v > 0).length")).intValue() >= 2);
    Number painted = (Number) js.executeScript("const c = document.getElementById('rate-chart');"
        + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        + "for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) n++; } return n;");
    assertThat(painted.longValue()).as("painted pixels on the chart").isGreaterThan(1000);

    // Page numbers follow GET /campaigns/{id}/stats: what the API showed, the page shows within about two ticks.
    JsonObject rest = http.get("/api/v1/campaigns/" + campaign + "/stats", viewer).bodyAsJsonObject();
    long restDelivered = rest.getJsonObject("by_status").getLong("delivered");
    wait.withTimeout(Duration.ofSeconds(3)).until(d -> number(delivered) >= restDelivered);

    // 1366x768: panels do not overlap and nothing scrolls sideways.
    @SuppressWarnings("unchecked")
    List<String> overlaps = (List<String>) js.executeScript("const ps = [...document.querySelectorAll('main .panel')]"
        + ".map(p => [p.className, p.getBoundingClientRect()]); const out = [];"
        + "for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) { const a = ps[i][1], b = ps[j][1];"
        + "if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(ps[i][0] + ' / ' + ps[j][0]); }"
        + "return out;");
    assertThat(overlaps).as("overlapping panels").isEmpty();
    assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
        .as("horizontal overflow at 1366 px").isLessThanOrEqualTo(0);
    assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isLessThanOrEqualTo(1366);

    Path shot = Path.of("target", "ops-dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(shot)).isPositive();

    // The English switch.
    browser.findElement(By.id("lang")).click();
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Qingfeng · Ops");
    assertThat(browser.findElement(By.cssSelector(".campaigns h2")).getText()).isEqualTo("Campaigns");
    Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "ops-dashboard-en.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** The number shown by the element matching {@code css}, or -1 when there is none yet. */
  private static long number(String css) {
    Object text = browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    String digits = text == null ? "" : text.toString().replaceAll("[^0-9]", "");
    return digits.isEmpty() ? -1 : Long.parseLong(digits);
  }

}
