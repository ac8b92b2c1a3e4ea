using Microsoft.Extensions.Logging;

namespace Ombaro.Tests.Infrastructure;

/// <summary>Identity when Redis is away, what never reaches Redis or the logs, and the start-up checks.</summary>
public sealed class IdentityOutageAndStartupTests
{
    [Fact]
    public async Task with_redis_down_authenticated_and_otp_routes_answer_503_problems()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        // Its own host: on a Redis of its own, which the test stops.
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url, ["REDIS_CACHE_URL"] = redis.Url });
        var user = await host.SignInAsync("admin");
        await redis.StopAsync();

        foreach (var request in new Action<Scenario>[]
        {
            s => s.Get.Url("/api/v1/auth/me"),
            s => s.Get.Url("/api/v1/auth/sessions"),
            s => s.Post.Url("/api/v1/auth/logout"),
            s => s.Patch.Json(new { role = "vendor" }).ToUrl($"/api/v1/admin/users/{Guid.NewGuid()}"),
        })
        {
            var result = await host.Scenario(s => { request(s); s.As(user); s.StatusCodeShouldBe(503); });
            Assert.Equal("Service temporarily unavailable", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
        var otp = await host.Scenario(s => { s.Post.Json(new { mobile = OtpLogin.NewMobile() }).ToUrl("/api/v1/auth/otp/request"); s.StatusCodeShouldBe(503); });
        Assert.Contains("Redis", (await otp.ReadAsJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task codes_never_reach_redis_or_the_logs_in_plain_text()
    {
        var logs = new CapturingLoggerProvider();
        // Its own host: its logs are captured.
        await using var host = await ApiFixture.StartHostAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            s => s.AddSingleton<ILoggerProvider>(logs));
        var redis = host.Services.GetRequiredService<RedisConnections>().StateDb;
        var mobile = OtpLogin.NewMobile();

        await host.RequestOtpAsync(mobile);
        var code = host.Sms().LastCodeFor(mobile);
        var stored = await redis.HashGetAllAsync(RedisKeys.Otp(mobile));
        await host.VerifyOtpAsync(mobile, code == "999999" ? "999998" : "999999", 400);
        await host.VerifyOtpAsync(mobile, code);

        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, e => e.Value.ToString().Contains(code, StringComparison.Ordinal));
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_development_sender_logs_the_code_and_test_mobiles_take_the_fixed_code()
    {
        var logs = new CapturingLoggerProvider();
        var testMobile = OtpLogin.NewMobile();
        // Its own host: the Development environment (log sender, test mobiles) and captured logs.
        await using var host = await AlbaHost.For<Program>(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("REDIS_URL", TestEnvironment.RedisUrl);
            b.UseSetting("REDIS_CACHE_URL", TestEnvironment.RedisCacheUrl);
            b.UseSetting("DATABASE_URL", TestEnvironment.DatabaseUrl);
            b.UseSetting("Demo:Enabled", "false");
            b.UseSetting("RateLimiting:Enabled", "false");   // Development limits; the shared test client address spent them
            b.UseSetting("Otp:TestMobiles:5", testMobile);
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs));
        });
        var mobile = OtpLogin.NewMobile();

        await host.RequestOtpAsync(mobile);
        var logged = Assert.Single(logs.Messages, m => m.Contains($"OTP for {mobile}: ", StringComparison.Ordinal));
        var code = System.Text.RegularExpressions.Regex.Match(logged, $@"OTP for \{mobile}: (\d{{6}})").Groups[1].Value;
        await host.VerifyOtpAsync(mobile, code);

        await host.RequestOtpAsync(testMobile);
        Assert.DoesNotContain(logs.Messages, m => m.Contains($"OTP for {testMobile}", StringComparison.Ordinal));
        await host.VerifyOtpAsync(testMobile, "123456");
    }

    [Fact]
    public async Task production_refuses_to_start_with_the_development_sender_in_one_line()
    {
        var api = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production", ["REDIS_URL"] = TestEnvironment.RedisUrl, ["DATABASE_URL"] = TestEnvironment.DatabaseUrl,
                ["Otp__Secret"] = "a-production-like-secret-0123456789abcdef", ["Sms__Sender"] = "log", ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
        };
        using var process = System.Diagnostics.Process.Start(api)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("ombaro: Sms:Sender is 'log', the development sender that writes codes to the log, which is refused in Production: set Sms:Sender=http and Sms:Http:Url",
            stderr.Trim());
    }

    [Theory]
    [InlineData("Production", "log", "Sms:Sender is 'log', the development sender")]
    [InlineData("Production", null, "Sms:Sender is not set")]
    [InlineData("Staging", "http", "Sms:Http:Url is not set")]
    public void outside_development_the_sms_settings_are_checked(string environment, string? sender, string message)
    {
        var result = new SmsOptionsValidator(Env(environment)).Validate(null, new SmsOptions { Sender = sender });
        Assert.Contains(message, result.FailureMessage);
        Assert.True(new SmsOptionsValidator(Env("Development")).Validate(null, new SmsOptions { Sender = "log" }).Succeeded);
    }

    [Fact]
    public void a_missing_otp_secret_and_test_mobiles_outside_development_are_refused()
    {
        var options = new OtpOptions { Secret = null, TestMobiles = ["+919000000001"], TestCode = "123456" };
        var result = new OtpOptionsValidator(Env("Production")).Validate(null, options);
        Assert.Contains("Otp:Secret is not set", result.FailureMessage);
        Assert.Contains("Otp:TestMobiles is set in Production", result.FailureMessage);
        options.Secret = new string('s', 32);
        Assert.True(new OtpOptionsValidator(Env("Development")).Validate(null, options).Succeeded);
    }

    static Microsoft.Extensions.Hosting.IHostEnvironment Env(string name) =>
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = name };
}
