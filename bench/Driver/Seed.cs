using System.Globalization;
using StackExchange.Redis;

/// <summary>
/// <c>seed &lt;redis endpoints&gt;</c>: loads the bench data set into Redis from standard input, one command a line,
/// tab-separated (<c>COMMAND key arg...</c>; empty trailing fields ignored), e.g. <c>HSET ombaro:... lat 12.9</c>.
/// The key is sent as a key, so StackExchange.Redis routes each command to the master owning its slot: the same
/// input loads a standalone server or a Redis Cluster (endpoints: "host:port" or "h1:p1,h2:p2,..." seeds), which
/// <c>redis-cli --pipe</c> to one node cannot (it does not follow MOVED). Commands are pipelined, a window at a time.
/// Prints the number of commands sent; fails on the first error reply.
/// </summary>
static class Seed
{
    const int Window = 20_000;

    public static async Task<int> RunAsync(string[] a)
    {
        var options = ConfigurationOptions.Parse(a[0]);
        options.AbortOnConnectFail = true;
        using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        var db = mux.GetDatabase();
        var pending = new List<Task<RedisResult>>(Window);
        var sent = 0L;
        while (Console.In.ReadLine() is { } line)
        {
            var f = line.Split('\t');
            var n = f.Length;
            while (n > 0 && f[n - 1].Length == 0) n--;
            if (n == 0) continue;
            if (n < 2) throw new FormatException($"a command without a key: {line}");
            var args = new List<object>(n - 1) { (RedisKey)f[1] };
            for (var i = 2; i < n; i++) args.Add((RedisValue)f[i]);
            pending.Add(db.ExecuteAsync(f[0], args));
            sent++;
            if (pending.Count == Window) await Drain(pending);
        }
        await Drain(pending);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {sent} commands"));
        return 0;
    }

    static async Task Drain(List<Task<RedisResult>> pending)
    {
        await Task.WhenAll(pending);
        pending.Clear();
    }
}
