namespace Ombaro.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL of a test's own (initdb in a temporary folder, a free loopback port, trust
/// authentication) that the test may stop and start again: outage drills. Runs as the <c>postgres</c>
/// OS user when the tests run as root, as <c>scripts/services.sh</c> does.
/// </summary>
public sealed class PostgresServerProcess : IAsyncDisposable
{
    readonly string dir, bin;

    PostgresServerProcess(string dir, string bin, int port) => (this.dir, this.bin, Port) = (dir, bin, port);

    public int Port { get; }
    public string DatabaseUrl => $"postgres://postgres@127.0.0.1:{Port}/postgres";
    string Data => Path.Combine(dir, "data");

    public static async Task<PostgresServerProcess> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (./test.sh installs it)");
        var dir = Path.Combine(Path.GetTempPath(), "ombaro-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        if (Environment.IsPrivilegedProcess) await RunAsync("chown", "postgres:", dir);
        var server = new PostgresServerProcess(dir, Path.Combine(bin, "bin"), RedisServerProcess.FreePort());
        await server.AsPostgres("initdb", "-D", server.Data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth=trust", "--no-sync");
        await server.RestartAsync();
        return server;
    }

    public Task RestartAsync() => AsPostgres("pg_ctl", "start", "-D", Data, "-w", "-t", "60", "-l", Path.Combine(dir, "postgres.log"),
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {dir} -c fsync=off -c max_connections=50");

    /// <summary>Stops the server at once (open connections are cut, as in a crash of the database host).</summary>
    public Task StopAsync() => AsPostgres("pg_ctl", "stop", "-D", Data, "-m", "immediate", "-w");

    Task AsPostgres(string program, params string[] args) => Environment.IsPrivilegedProcess
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. args])
        : RunAsync(Path.Combine(bin, program), args);

    static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await errors}{await output}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (InvalidOperationException) { /* already stopped */ }
        Directory.Delete(dir, recursive: true);
    }
}
