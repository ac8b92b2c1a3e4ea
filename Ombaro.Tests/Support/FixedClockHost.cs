namespace Ombaro.Tests.Support;

/// <summary>
/// A host whose clock stands still at Thursday 2033-07-14 12:00 UTC (17:30 in Asia/Kolkata), on the shared Redis and
/// PostgreSQL, for report tests that assert literal dates and sums over rows of their own. Its clock is never advanced.
/// </summary>
public sealed class FixedClockHost : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2033, 7, 14, 12, 0, 0, TimeSpan.Zero);

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>A host of its own on the same fixed clock, e.g. with other settings.</summary>
    public static Task<IAlbaHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        ApiFixture.StartHostAsync(settings, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));

    public async Task InitializeAsync() => Host = await StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FixedClockCollection : ICollectionFixture<FixedClockHost>
{
    public const string Name = "fixed-clock";
}
