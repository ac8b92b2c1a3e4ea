using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Ombaro.Tests.Support;

/// <summary>
/// The API on a real Kestrel socket (127.0.0.1, a free port), for clients that cannot use the in-memory
/// TestServer: a browser. Same settings as <see cref="ApiFixture.StartHostAsync"/>: its dispatch worker is off, so
/// it never takes a job from the shared host's queue (DispatchWorkerTests expect the shared host's worker to).
/// </summary>
public sealed class KestrelApp : WebApplicationFactory<Program>
{
    readonly IDictionary<string, string?> settings;

    KestrelApp(IDictionary<string, string?> settings) => this.settings = settings;

    public Uri BaseAddress { get; private set; } = null!;

    public static KestrelApp Start(IDictionary<string, string?>? settings = null)
    {
        var app = new KestrelApp(settings ?? new Dictionary<string, string?>());
        app.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        app.StartServer();
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        app.BaseAddress = new Uri(addresses.Single());
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("REDIS_URL", TestEnvironment.RedisUrl);
        builder.UseSetting("REDIS_CACHE_URL", TestEnvironment.RedisCacheUrl);
        builder.UseSetting("DATABASE_URL", TestEnvironment.DatabaseUrl);
        builder.UseSetting("Bookings:Dispatch:Enabled", "false");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<CapturingSmsSender>();
            s.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<CapturingSmsSender>());
        });
    }

    /// <summary>The SMS the app sent (codes to sign in with).</summary>
    public CapturingSmsSender Sms => Services.GetRequiredService<CapturingSmsSender>();
}
