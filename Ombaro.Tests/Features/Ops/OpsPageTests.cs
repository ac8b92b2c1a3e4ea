using Microsoft.Playwright;

namespace Ombaro.Tests.Features.Ops;

/// <summary>
/// The ops page in a real browser: Debian's headless Chromium driven by Playwright, against the API on a
/// real Kestrel socket (the browser cannot reach the in-memory test server).
/// </summary>
public sealed class OpsPageTests(OpsPageTests.Browser fixture) : IClassFixture<OpsPageTests.Browser>
{
    /// <summary>One Kestrel-served API and one Chromium for the class (launching either takes seconds).</summary>
    public sealed class Browser : IAsyncLifetime
    {
        const string Chromium = "/usr/bin/chromium";
        public KestrelApp App { get; private set; } = null!;
        IPlaywright playwright = null!;
        public IBrowser Chrome { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // Its own Kestrel host: Chromium loads the page over a real port.
            App = KestrelApp.Start();
            playwright = await Playwright.CreateAsync();
            Chrome = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
        }

        public async Task DisposeAsync()
        {
            await Chrome.DisposeAsync();
            playwright.Dispose();
            await App.DisposeAsync();
        }
    }

    KestrelApp App => fixture.App;

    async Task<IPage> OpenAsync(string token)
    {
        var page = await fixture.Chrome.NewPageAsync();
        await page.GotoAsync(new Uri(App.BaseAddress, "/ops?every=1").ToString());
        await page.FillAsync("#token", token);
        await page.ClickAsync("#login button[type=submit]");
        return page;
    }

    [Fact]
    public async Task an_admin_sees_the_figures_and_charts_refresh_and_the_token_survives_a_reload()
    {
        var cache = App.Services.GetRequiredService<CacheAside>();
        var key = RedisKeys.Cache("opspage", Guid.NewGuid());
        for (var i = 0; i < 4; i++)
            await cache.GetOrLoadAsync("ops-page-test", key, TimeSpan.FromMinutes(1), _ => Task.FromResult<string?>("v"), default);
        var admin = await App.Services.SignInAsync(Roles.Admin);

        var page = await OpenAsync(admin.Token);

        var state = page.Locator("[data-role=state]").First;          // on a cluster: one card per master, alike
        var cacheServer = page.Locator("[data-role=cache]").First;
        await Assertions.Expect(state.Locator(".policy")).ToHaveTextAsync("noeviction");
        await Assertions.Expect(cacheServer.Locator(".policy")).ToHaveTextAsync("allkeys-lru");
        await Assertions.Expect(cacheServer.Locator(".memory")).ToContainTextAsync("of 256.0 MB");
        await Assertions.Expect(state.Locator(".latency")).ToContainTextAsync(" ms (");
        await Assertions.Expect(page.Locator("#caches tbody tr", new() { HasText = "ops-page-test" })).ToContainTextAsync("75.0 %");
        await Assertions.Expect(state.Locator(".keys tbody")).ToContainTextAsync("session");
        await Assertions.Expect(page.Locator("#alerts li").First).ToBeVisibleAsync();
        // the page refreshes itself: the charts gain points without any click
        await Assertions.Expect(page.Locator("#chart-latency")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[3-9]|[1-9][0-9]+$"));
        await Assertions.Expect(page.Locator("#chart-memory")).ToHaveAttributeAsync("data-series",   // "state,cache", or one series per master on a cluster
            new System.Text.RegularExpressions.Regex(TestEnvironment.RedisMasters == 1 ? "^state,cache$" : "^(state [^,]+,){3}(cache [^,]+,){2}cache [^,]+$"));

        await page.ReloadAsync();
        await Assertions.Expect(state.Locator(".policy")).ToHaveTextAsync("noeviction");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "ombaro-ops-page.png"), FullPage = true });
    }

    [Fact]
    public async Task forget_token_clears_session_storage_hides_the_figures_and_stays_forgotten_after_a_reload()
    {
        var admin = await App.Services.SignInAsync(Roles.Admin);
        var page = await OpenAsync(admin.Token);
        await Assertions.Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        Assert.Equal(admin.Token, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('ombaro.ops.token')"));

        await page.ClickAsync("#forget");

        await Assertions.Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Enter an admin token to start.");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => sessionStorage.length"));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Enter an admin token to start.");
        await Assertions.Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task a_token_of_another_role_is_told_it_is_not_an_admin_and_sees_no_figures()
    {
        var customer = await App.Services.SignInAsync(Roles.Customer);

        var page = await OpenAsync(customer.Token);

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("This token does not belong to an admin.");
        await Assertions.Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task the_page_only_runs_its_own_scripts()
    {
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        var response = await http.GetAsync("/ops");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/ops/secrets.txt")).StatusCode);
    }
}
