using Microsoft.AspNetCore.TestHost;

namespace Ombaro.Tests.Support;

/// <summary>One Alba host for the whole run, on the real Redis and PostgreSQL from <see cref="TestEnvironment"/>.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    public IServiceProvider Services => Host.Services;
    public IDatabase Redis => Services.GetRequiredService<RedisConnections>().StateDb;

    /// <summary>
    /// The shared host is the one that runs the dispatch worker on the shared queue. Its reconciliation runs at
    /// start-up only: a periodic one would put every test's confirmed unassigned bookings onto that queue mid-run
    /// (DispatchWorkerTests runs it by hand).
    /// </summary>
    public async Task InitializeAsync() => Host = await StartHostAsync(new Dictionary<string, string?>
    {
        [DispatchEnabled] = "true",
        ["Bookings:Dispatch:ReconcileInterval"] = "1.00:00:00",
    });

    const string DispatchEnabled = "Bookings:Dispatch:Enabled";

    /// <summary>
    /// A host of its own, e.g. pointed at another Redis or with services replaced (a FakeTimeProvider:
    /// <paramref name="services"/> runs after the app's registrations); the caller disposes it. SMS go
    /// to a <see cref="CapturingSmsSender"/>. Its dispatch worker is off unless the settings turn it on:
    /// a worker of another host (another clock, another database) must not take the shared host's jobs.
    /// </summary>
    public static Task<IAlbaHost> StartHostAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string environment = "Testing") =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("REDIS_URL", TestEnvironment.RedisUrl);
            builder.UseSetting("REDIS_CACHE_URL", TestEnvironment.RedisCacheUrl);
            builder.UseSetting("DATABASE_URL", TestEnvironment.DatabaseUrl);
            builder.UseSetting(DispatchEnabled, "false");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton<CapturingSmsSender>();
                s.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<CapturingSmsSender>());
                services?.Invoke(s);
            });
        });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
