namespace Ombaro.Tests.Infrastructure;

/// <summary>Demo data is explicit, and refused outside Development unless the API listens on loopback only (real processes).</summary>
public sealed class DemoDataStartupTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://+:0")]
    [InlineData("http://127.0.0.1:0;http://[::]:0")]
    public async Task production_refuses_demo_data_when_listening_beyond_loopback(string urls)
    {
        using var process = Start(Production(urls, TestEnvironment.DatabaseUrl));
        string stderr;
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            stderr = await process.StandardError.ReadToEndAsync();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);   // it started: the refusal is missing
        }

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("ombaro: Demo:Enabled=true is refused in Production while listening on ", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task on_loopback_production_loads_demo_data_but_the_fixed_test_code_does_not_work()
    {
        var (database, drop) = await TestEnvironment.CreateDatabaseAsync();
        try
        {
            var port = FreePort();
            var url = ConnectionSettingsUrl(database);
            // a Redis of its own: other tests (the fuzz) ask codes for the demo mobiles on the shared one
            await using var redis = await RedisServerProcess.StartAsync();
            using var process = Start(Production($"http://127.0.0.1:{port}", url, redis.Url));
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await WaitUntilLive(http, process);

                var verify = await http.PostAsJsonAsync("/api/v1/auth/otp/verify", new { mobile = "+919000000001", code = "123456" });
                Assert.Equal(HttpStatusCode.BadRequest, verify.StatusCode);
                Assert.Contains("No code is pending", (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
                // a code request goes to the (unreachable) gateway like any other mobile's: no fixed code, no bypass
                var request = await http.PostAsJsonAsync("/api/v1/auth/otp/request", new { mobile = "+919000000001" });
                Assert.Equal(HttpStatusCode.ServiceUnavailable, request.StatusCode);

                await using var conn = new Npgsql.NpgsqlConnection(database);
                await conn.OpenAsync();
                await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM users WHERE mobile = '+919000000001' AND role = 'admin'", conn);
                Assert.Equal(1L, await count.ExecuteScalarAsync());   // the demo data is there
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally { await drop(); }
    }

    static Dictionary<string, string> Production(string urls, string databaseUrl, string? redisUrl = null) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = urls, ["Demo__Enabled"] = "true",
        ["REDIS_URL"] = redisUrl ?? TestEnvironment.RedisUrl, ["REDIS_CACHE_URL"] = redisUrl ?? TestEnvironment.RedisCacheUrl,
        ["DATABASE_URL"] = databaseUrl,
        ["Otp__Secret"] = "a-production-like-secret-0123456789abcdef", ["Sms__Sender"] = "http", ["Sms__Http__Url"] = "http://127.0.0.1:9/sms",
        ["Sms__Http__Timeout"] = "00:00:01",
    };

    static Process Start(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };   // drained, so the child never blocks on a full pipe
        process.BeginOutputReadLine();
        return process;
    }

    static async Task WaitUntilLive(HttpClient http, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException("The API exited: " + await process.StandardError.ReadToEndAsync());
            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("The API did not start within 60 s.");
    }

    /// <summary>A postgres:// URL for a connection string of <see cref="TestEnvironment.CreateDatabaseAsync"/>.</summary>
    static string ConnectionSettingsUrl(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{Uri.EscapeDataString(b.Username!)}:{Uri.EscapeDataString(b.Password ?? "")}@{b.Host}:{b.Port}/{b.Database}";
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
