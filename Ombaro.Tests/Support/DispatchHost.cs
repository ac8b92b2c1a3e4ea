using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Tests.Support;

/// <summary>A host whose dispatch loop is off and whose queue is its own, so tests drive the worker step by step.</summary>
public sealed class DispatchHost : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public DispatchWorker Worker => Host.Services.GetRequiredService<DispatchWorker>();
    public DispatchReconciler Reconciler => Host.Services.GetRequiredService<DispatchReconciler>();
    public DispatchOptions Options => Host.Services.GetRequiredService<IOptions<DispatchOptions>>().Value;
    public IDatabase Redis => Host.Services.GetRequiredService<RedisConnections>().StateDb;

    // Its own host: the dispatch loop off and a queue of its own.
    public async Task InitializeAsync() => Host = await ApiFixture.StartHostAsync(new Dictionary<string, string?>
    {
        ["Bookings:Dispatch:Enabled"] = "false",
        ["Bookings:Dispatch:Queue"] = "{dispatch-test-" + Guid.NewGuid().ToString("N")[..8] + "}",
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
