namespace Ombaro.Tests.Support;

/// <summary>
/// A throwaway redis-server of a test's own, for what must not touch the shared one: stopping it
/// (outage drills) or reading its server-wide counters.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    Process? process;

    RedisServerProcess(int port) => Port = port;

    public int Port { get; }
    public string Url => $"redis://127.0.0.1:{Port}/0";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(FreePort());
        await server.RestartAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        if (process is { HasExited: false }) throw new InvalidOperationException("already running");
        process = Process.Start(new ProcessStartInfo("redis-server",
            $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --daemonize no --loglevel warning")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        await WaitUntil(async () =>
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},abortConnect=false,connectTimeout=200");
            return mux.IsConnected;
        });
    }

    public async Task StopAsync()
    {
        if (process is null || process.HasExited) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Polls a condition (no fixed sleeps) until it holds or the deadline passes.</summary>
    public static async Task WaitUntil(Func<Task<bool>> condition, double seconds = 15)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try { if (await condition()) return; }
            catch (Exception) when (deadline.Elapsed.TotalSeconds < seconds) { }
            if (deadline.Elapsed.TotalSeconds >= seconds) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
    }
}
