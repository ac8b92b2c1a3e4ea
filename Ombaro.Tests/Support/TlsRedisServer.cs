namespace Ombaro.Tests.Support;

/// <summary>
/// A redis-server that speaks TLS only (<c>--port 0 --tls-port</c>) and wants a password (<c>requirepass</c>), as
/// managed Redis does in production. Its CA and server certificate (for 127.0.0.1) are made with openssl on the fly,
/// together with a second CA that issued nothing the server presents.
/// </summary>
public sealed class TlsRedisServer : IAsyncDisposable
{
    public const string Password = "tls-test-Pa55word";
    readonly string dir = Directory.CreateTempSubdirectory("ombaro-redis-tls-").FullName;
    Process? process;

    public int Port { get; } = RedisServerProcess.FreePort();
    public string CaPath => Path.Combine(dir, "ca.crt");
    public string OtherCaPath => Path.Combine(dir, "other-ca.crt");
    public string Url(string password = Password) => $"rediss://default:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}/0";

    public static async Task<TlsRedisServer> StartAsync()
    {
        var server = new TlsRedisServer();
        await server.MakeCertificatesAsync();
        server.process = Process.Start(new ProcessStartInfo("redis-server",
            $"--port 0 --tls-port {server.Port} --bind 127.0.0.1 --tls-cert-file {server.File("server.crt")} --tls-key-file {server.File("server.key")} " +
            $"--tls-ca-cert-file {server.CaPath} --tls-auth-clients no --requirepass {Password} --save \"\" --appendonly no --daemonize no --loglevel warning")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        server.process.OutputDataReceived += (_, _) => { };
        server.process.BeginOutputReadLine();
        await RedisServerProcess.WaitUntil(async () =>
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
            return true;
        });
        return server;
    }

    string File(string name) => Path.Combine(dir, name);

    async Task MakeCertificatesAsync()
    {
        await System.IO.File.WriteAllTextAsync(File("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        await OpenSslAsync("req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=Ombaro-Test-Redis-CA");
        await OpenSslAsync("req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj /CN=Some-Other-CA");
        await OpenSslAsync("req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1");
        await OpenSslAsync("x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext");
    }

    async Task OpenSslAsync(string arguments)
    {
        using var openssl = Process.Start(new ProcessStartInfo("openssl", arguments)
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var errors = openssl.StandardError.ReadToEndAsync();
        await openssl.StandardOutput.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        if (openssl.ExitCode != 0) throw new InvalidOperationException($"openssl {arguments}: {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        Directory.Delete(dir, recursive: true);
    }
}
