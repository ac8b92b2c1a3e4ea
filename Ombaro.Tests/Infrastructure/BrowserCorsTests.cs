using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace Ombaro.Tests.Infrastructure;

/// <summary>
/// CORS as a browser applies it: headless Chromium (Playwright) runs <c>fetch</c> from a page of another origin
/// (a second Kestrel on another port) against the API on a real port. <c>http://127.0.0.1:{page port}</c> is
/// allowed by configuration; <c>http://localhost:{page port}</c> is the same page from an origin that is not.
/// </summary>
public sealed class BrowserCorsTests : IAsyncLifetime
{
    const string Chromium = "/usr/bin/chromium";
    WebApplication web = null!;
    KestrelApp api = null!;
    IPlaywright playwright = null!;
    IBrowser chrome = null!;
    int pagePort;
    readonly string tightPolicy = "cors-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        web = WebApplication.CreateBuilder().Build();
        web.Urls.Add("http://127.0.0.1:0");
        web.MapGet("/", () => Results.Content("<!doctype html><title>web app</title><p>another origin</p>", "text/html"));
        await web.StartAsync();
        pagePort = new Uri(web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

        // Its own Kestrel host: a real browser needs a port, and the allowed origin is the page server of this test.
        api = KestrelApp.Start(new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = $"http://127.0.0.1:{pagePort}",
            [$"RateLimiting:Policies:{tightPolicy}:PermitLimit"] = "2",
            [$"RateLimiting:Policies:{tightPolicy}:Window"] = "00:01:00",
            [$"RateLimiting:Policies:{tightPolicy}:Partition"] = "ip",
            [$"RateLimiting:Policies:{tightPolicy}:Endpoints:0"] = "GetVendor",
        });
        playwright = await Playwright.CreateAsync();
        chrome = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await chrome.DisposeAsync();
        playwright.Dispose();
        await api.DisposeAsync();
        await web.DisposeAsync();
    }

    /// <summary>Opens the page at <paramref name="pageHost"/> and runs <paramref name="script"/> (an async function of the API's base URL) in it.</summary>
    async Task<JsonElement> FetchFromPageAsync(string pageHost, string script)
    {
        var page = await chrome.NewPageAsync();
        await page.GotoAsync($"http://{pageHost}:{pagePort}/");
        var json = await page.EvaluateAsync<string>($"async (api) => JSON.stringify(await ({script})(api))", api.BaseAddress.ToString().TrimEnd('/'));
        await page.CloseAsync();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    const string ReadAnswer = """
        async (api, path, init) => {
          try {
            const r = await fetch(api + path, init);
            return { ok: true, status: r.status, rateLimit: r.headers.get("RateLimit"), policy: r.headers.get("RateLimit-Policy"),
                     retryAfter: r.headers.get("Retry-After"), type: r.headers.get("Content-Type"), body: await r.text() };
          } catch (e) { return { ok: false, error: String(e) }; }
        }
        """;

    [Fact]
    public async Task a_page_of_an_allowed_origin_reads_answers_and_the_rate_limit_headers()
    {
        var search = await FetchFromPageAsync("127.0.0.1", $"api => ({ReadAnswer})(api, '/api/v1/vendors/search?lat=-40&lng=-120')");
        Assert.True(search.GetProperty("ok").GetBoolean(), search.ToString());
        Assert.Equal(200, search.GetProperty("status").GetInt32());
        Assert.StartsWith("\"default\";r=", search.GetProperty("rateLimit").GetString());
        Assert.Contains("\"default\";q=", search.GetProperty("policy").GetString());

        // A bearer token makes the request non-simple: the browser sends a preflight first, then the 401 is readable.
        var me = await FetchFromPageAsync("127.0.0.1",
            $"api => ({ReadAnswer})(api, '/api/v1/auth/me', {{ headers: {{ Authorization: 'Bearer not-a-session' }} }})");
        Assert.True(me.GetProperty("ok").GetBoolean(), me.ToString());
        Assert.Equal(401, me.GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", me.GetProperty("type").GetString());
    }

    [Fact]
    public async Task a_page_of_an_allowed_origin_reads_retry_after_on_a_429()
    {
        var answers = await FetchFromPageAsync("127.0.0.1",
            $"async api => {{ const all = []; for (let i = 0; i < 3; i++) all.push(await ({ReadAnswer})(api, '/api/v1/vendors/{Guid.NewGuid()}')); return all; }}");
        var refused = answers.EnumerateArray().Last();
        Assert.True(refused.GetProperty("ok").GetBoolean(), refused.ToString());
        Assert.Equal(429, refused.GetProperty("status").GetInt32());
        Assert.True(int.Parse(refused.GetProperty("retryAfter").GetString()!) > 0, refused.ToString());
    }

    [Fact]
    public async Task a_page_of_another_origin_cannot_read_the_api()
    {
        var search = await FetchFromPageAsync("localhost", $"api => ({ReadAnswer})(api, '/api/v1/vendors/search?lat=-40&lng=-120')");
        Assert.False(search.GetProperty("ok").GetBoolean(), search.ToString());
        Assert.Contains("Failed to fetch", search.GetProperty("error").GetString());
    }

    [Fact]
    public async Task the_preflight_allows_the_client_headers_without_credentials()
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/bookings");
        request.Headers.Add("Origin", $"http://127.0.0.1:{pagePort}");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal($"http://127.0.0.1:{pagePort}", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Contains("idempotency-key", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);

        // Development's localhost origins are not in the defaults (appsettings.json lists none).
        using var other = new HttpRequestMessage(HttpMethod.Options, "/api/v1/bookings");
        other.Headers.Add("Origin", "http://localhost:5173");
        other.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await http.SendAsync(other);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
