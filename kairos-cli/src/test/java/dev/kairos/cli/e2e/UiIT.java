package dev.kairos.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kairos.prerequisites.Part;
import dev.kairos.prerequisites.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium against a real {@code kairos up}: log in, trigger a DAG,
 * watch it run to success without reloading, read its logs, look at the job and the pools.
 * Screenshots (1280×800) go to {@code target/ui-screenshots}. Needs Chromium and ChromeDriver
 * ({@code KAIROS_TEST_CHROMIUM} and {@code KAIROS_TEST_CHROMEDRIVER}, else {@code chromium} and
 * {@code chromedriver} on PATH; {@code ./test} installs Debian's): skipped without them, failed in
 * a strict run.
 */
class UiIT {
  static final Path CHROMIUM = Programs.find("KAIROS_TEST_CHROMIUM", "chromium");
  static final Path DRIVER = Programs.find("KAIROS_TEST_CHROMEDRIVER", "chromedriver");
  static final Path SHOTS = Path.of("target", "ui-screenshots");

  @TempDir static Path dir;
  static KairosProcess kairos;
  static WebDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    Part.CHROMIUM.require(missing(CHROMIUM, "chromium", "KAIROS_TEST_CHROMIUM"));
    Part.CHROMIUM.require(missing(DRIVER, "chromedriver", "KAIROS_TEST_CHROMEDRIVER"));
    kairos = KairosProcess.up(dir.resolve("state")).start();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 800));
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
  }

  /** Null when the program is there, else what is wrong with it. */
  static String missing(Path program, String name, String variable) {
    if (program == null) {
      return "no " + name + " on PATH";
    }
    return Files.isExecutable(program) ? null : variable + "=" + program + " is not a program";
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (kairos != null) {
      kairos.close();
    }
  }

  static void shot(String name) throws Exception {
    Path file = SHOTS.resolve(name + ".png");
    Files.write(
        file, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  /** Opens the UI at {@code hash} with no session: the login dialog shows. */
  static void openLoggedOut(String hash) {
    browser.get(kairos.url() + "/");
    js("sessionStorage.clear()");
    browser.get(kairos.url() + "/" + hash);
    browser.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  static void logIn() {
    browser.findElement(By.id("token")).sendKeys(kairos.token());
    browser.findElement(By.id("login-button")).click();
  }

  /** The page fits a 1280-pixel-wide window: nothing scrolls sideways. */
  static void fitsTheWindow() {
    assertThat(((Number) js("return document.documentElement.scrollWidth")).intValue())
        .isLessThanOrEqualTo(1280);
  }

  @Test
  void logInTriggerADagWatchItSucceedAndReadItsLogs() throws Exception {
    assertThat(
            kairos.apply(
                """
                apiVersion: kairos.dev/v1
                kind: Job
                metadata: {name: etl}
                spec:
                  schedule: "30 2 * * *"
                  timeZone: Europe/Berlin
                  tasks:
                    - {name: extract, shell: {command: "echo extracting; sleep 1"}}
                    - {name: clean, dependsOn: [extract], shell: {command: "echo cleaning"}}
                    - {name: enrich, dependsOn: [extract], shell: {command: "echo enriching >&2; sleep 1"}}
                    - {name: load, dependsOn: [clean, enrich], shell: {command: "echo loaded"}}
                """))
        .isEqualTo(201);
    openLoggedOut("");
    // a wrong token is refused, the right one lets us in
    WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    token.sendKeys("kairos_wrong");
    browser.findElement(By.id("login-button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not valid"));
    token.clear();
    token.sendKeys(kairos.token());
    browser.findElement(By.id("login-button")).click();
    WebElement row =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-job='default/etl']")));
    assertThat(row.getText()).contains("every day at 02:30").contains("Europe/Berlin");
    js("window.kairosNotReloaded = true");
    shot("1-jobs");
    fitsTheWindow();

    row.findElement(By.cssSelector("button[data-action=trigger]")).click();
    wait.until(ExpectedConditions.urlMatches("#/runs/\\d+$"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-state .state"), "SUCCEEDED"));
    // the page followed the run by itself: no reload since logging in
    assertThat(js("return window.kairosNotReloaded === true")).isEqualTo(true);
    List<WebElement> nodes = browser.findElements(By.cssSelector("g.dag-node"));
    assertThat(nodes).hasSize(4);
    wait.until(d -> d.findElements(By.cssSelector("g.dag-node[data-state=SUCCEEDED]")).size() == 4);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs-live"), "succeeded"));
    String logs = browser.findElement(By.id("run-logs")).getText();
    assertThat(logs).contains("[extract#1] extracting", "[enrich#1] enriching", "[load#1] loaded");
    assertThat(browser.findElements(By.cssSelector("svg.gantt rect"))).hasSize(4);
    shot("2-run");
    fitsTheWindow();

    browser.findElement(By.linkText("default/etl")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-spec"), "extract"));
    assertThat(browser.findElement(By.id("job-versions")).getText()).contains("1");
    wait.until(d -> !d.findElements(By.cssSelector("svg.durations rect")).isEmpty());
    shot("3-job");
    fitsTheWindow();

    browser.findElement(By.cssSelector("[data-nav=pools]")).click();
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-pool=default]")));
    assertThat(browser.findElement(By.id("workers-table")).getText()).contains("default");
    shot("4-pools");
    fitsTheWindow();
  }

  @Test
  void aFailedRunIsMarkedSucceededFromItsPageAndItsAlertIsListed() throws Exception {
    // the webhook is a closed port: the alert stays pending, with its last error
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThat(
            kairos.apply(
                """
                apiVersion: kairos.dev/v1
                kind: Job
                metadata: {name: fragile}
                spec:
                  alerts: {webhooks: [{url: "http://127.0.0.1:%d/hook"}]}
                  task: {shell: {command: "echo about to fail; exit 2"}}
                """
                    .formatted(closed)))
        .isEqualTo(201);
    long run =
        kairos.call("POST", "/api/v1/jobs/default/fragile/runs", null).body().get("id").asLong();
    openLoggedOut("#/runs/" + run);
    logIn();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-state .state"), "FAILED"));
    assertThat(browser.findElement(By.id("run-actions")).getText()).contains("Retry from failed");
    shot("5-failed-run");
    browser.findElement(By.cssSelector("button[data-action=mark][data-task=main]")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-state .state"), "SUCCEEDED"));

    browser.findElement(By.cssSelector("[data-nav=alerts]")).click();
    WebElement alerts =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alerts-table")));
    wait.until(d -> alerts.getText().contains("runFailed"));
    assertThat(alerts.getText()).contains("default/fragile", "PENDING", "ConnectException");
    shot("6-alerts");
    fitsTheWindow();
  }
}
