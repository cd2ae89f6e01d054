using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Freshet.Dashboard.Tests.Support;

/// <summary>
/// Headless Debian chromium driven through Debian's chromedriver (packages <c>chromium</c> and
/// <c>chromium-driver</c>, which .ci/run installs), with a fresh profile directory per browser and no network
/// services of its own. Screenshots go to <c>screenshots/</c> in the test's output folder.
/// A machine without the two packages fails the test with a sentence saying what to install.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly string _profile = Path.Combine(Path.GetTempPath(), "freshet-chromium-" + Guid.NewGuid().ToString("N"));

    private Browser()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromeDriverPath))
        {
            throw new InvalidOperationException($"The browser tests need {ChromiumPath} and {ChromeDriverPath}: install the Debian packages chromium and chromium-driver (apt-get install chromium chromium-driver), as .ci/run does.");
        }

        Directory.CreateDirectory(_profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1440,1100",
            "--user-data-dir=" + _profile);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
    }

    public ChromeDriver Driver { get; }

    public static Browser Start() => new();

    /// <summary>Where screenshots are saved: <c>screenshots/</c> under the test assembly's folder.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves the viewport as <c>screenshots/{name}.png</c> and returns its path.</summary>
    public string SaveScreenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Waits until <paramref name="selector"/> matches at least <paramref name="count"/> elements and returns them.</summary>
    public async Task<IReadOnlyList<IWebElement>> WaitForAsync(string selector, int count = 1, string? what = null)
    {
        IReadOnlyList<IWebElement> found = [];
        await Poll.UntilAsync(
            () =>
            {
                found = Driver.FindElements(By.CssSelector(selector));
                return found.Count >= count;
            },
            () => $"{what ?? selector} ({found.Count} of {count} found); page text: {Truncate(Driver.FindElement(By.TagName("body")).Text)}");
        return found;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium's helper processes may still hold the profile for a moment; the directory is temporary.
        }
    }

    private static string Truncate(string text) => text.Length > 1500 ? text[..1500] + "…" : text;
}
