namespace Ombaro.Tests.Support;

/// <summary>
/// A throwaway Redis Cluster of a test's own: <c>masters</c> × (1 + <c>replicasPerMaster</c>) redis-server processes
/// with <c>cluster-enabled yes</c> and a short node timeout (a failover takes a few seconds), joined by
/// <c>redis-cli --cluster create</c>. Nodes can be killed one by one (failover drills).
/// </summary>
public sealed class RedisClusterProcess : IAsyncDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "ombaro-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    readonly Dictionary<int, Process> nodes = [];

    public IReadOnlyList<int> Ports => [.. nodes.Keys];

    /// <summary><c>redis://127.0.0.1:p1,127.0.0.1:p2,.../0</c>: every node as a seed.</summary>
    public string Url => "redis://" + string.Join(',', nodes.Keys.Select(p => $"127.0.0.1:{p}")) + "/0";

    public static async Task<RedisClusterProcess> StartAsync(int masters = 3, int replicasPerMaster = 0, int nodeTimeoutMs = 1000)
    {
        var cluster = new RedisClusterProcess();
        Directory.CreateDirectory(cluster.dir);
        try
        {
            for (var i = 0; i < masters * (1 + replicasPerMaster); i++) cluster.StartNode(ClusterPort(cluster.nodes.Keys), nodeTimeoutMs);
            foreach (var port in cluster.nodes.Keys) await RedisServerProcess.WaitUntil(() => Task.FromResult(Ping(port)));
            var create = string.Join(' ', cluster.nodes.Keys.Select(p => $"127.0.0.1:{p}"));
            await RunAsync("redis-cli", $"--cluster create {create} --cluster-replicas {replicasPerMaster} --cluster-yes");
            // Settled when every node says the cluster is ok and sees the masters and replicas it was made with.
            await RedisServerProcess.WaitUntil(async () =>
            {
                foreach (var port in cluster.nodes.Keys)
                {
                    if (!(await RunAsync("redis-cli", $"-p {port} cluster info")).Contains("cluster_state:ok")) return false;
                    var roles = (await RunAsync("redis-cli", $"-p {port} cluster nodes")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                        .Select(l => l.Split(' ')[2]).ToList();
                    if (roles.Count(r => r.Contains("master")) != masters || roles.Count(r => r.Contains("slave")) != masters * replicasPerMaster)
                        return false;
                }
                return true;
            }, seconds: 30);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    void StartNode(int port, int nodeTimeoutMs)
    {
        var data = Path.Combine(dir, port.ToString());
        Directory.CreateDirectory(data);
        var process = Process.Start(new ProcessStartInfo("redis-server",
            $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --daemonize no --loglevel warning --dir {data} " +
            $"--cluster-enabled yes --cluster-config-file {data}/nodes.conf --cluster-node-timeout {nodeTimeoutMs} " +
            "--cluster-replica-validity-factor 0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        nodes[port] = process;
    }

    /// <summary>The master nodes now (ports), as the cluster itself reports them.</summary>
    public async Task<IReadOnlyList<int>> MastersAsync()
    {
        foreach (var port in nodes.Keys.Where(p => !nodes[p].HasExited))
        {
            var lines = (await RunAsync("redis-cli", $"-p {port} cluster nodes")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return [.. lines.Select(l => l.Split(' ')).Where(f => f[2].Contains("master") && !f[2].Contains("fail"))
                .Select(f => int.Parse(f[1].Split('@')[0].Split(':')[1]))];
        }
        return [];
    }

    /// <summary>
    /// Waits until every replica of the master on <paramref name="port"/> finished its first sync (<c>state=online</c>):
    /// a replica syncs a few seconds after <c>--cluster create</c> (diskless sync waits <c>repl-diskless-sync-delay</c>),
    /// and one promoted before that comes up empty.
    /// </summary>
    public Task ReplicasInSyncAsync(int port) => RedisServerProcess.WaitUntil(async () =>
    {
        var info = await RunAsync("redis-cli", $"-p {port} info replication");
        var replicas = info.Split('\n').Where(l => l.StartsWith("slave", StringComparison.Ordinal) && l.Contains(":ip=")).ToList();
        return replicas.Count > 0 && replicas.All(l => l.Contains("state=online"));
    }, seconds: 30);

    /// <summary>Kills one node at once (no shutdown handshake), as a crash would.</summary>
    public async Task KillAsync(int port)
    {
        var process = nodes[port];
        if (process.HasExited) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    static bool Ping(int port)
    {
        try
        {
            using var mux = ConnectionMultiplexer.Connect($"127.0.0.1:{port},abortConnect=false,connectTimeout=200");
            return mux.IsConnected;
        }
        catch (RedisException) { return false; }
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    static int ClusterPort(IEnumerable<int> taken)
    {
        while (true)
        {
            var port = RedisServerProcess.FreePort();
            if (port + 10000 > 65535 || taken.Contains(port)) continue;
            try
            {
                using var bus = new TcpListener(IPAddress.Loopback, port + 10000);
                bus.Start();
                return port;
            }
            catch (SocketException) { }
        }
    }

    static async Task<string> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{file} did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments}: exit {process.ExitCode}: {error}{output}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in nodes.Values)
        {
            if (!process.HasExited) { process.Kill(); await process.WaitForExitAsync(); }
            process.Dispose();
        }
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }
}
