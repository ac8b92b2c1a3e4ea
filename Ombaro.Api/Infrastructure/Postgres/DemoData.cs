namespace Ombaro.Api.Infrastructure.Postgres;

/// <summary>
/// Demo data (<c>Demo:Enabled=true</c>, set in appsettings.Development.json) puts well-known users, admin included,
/// into the database. Outside Development start-up refuses it unless every listening address is loopback.
/// </summary>
public static class DemoData
{
    public const string EnabledSetting = "Demo:Enabled";

    public static bool IsEnabled(IConfiguration config) => config.GetValue(EnabledSetting, false);

    public static WebApplication CheckDemoData(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration) || app.Environment.IsDevelopment()) return app;
        var open = ListeningAddresses(app.Configuration).Where(a => !IsLoopback(a)).ToList();
        if (open.Count > 0)
            throw new StartupConfigurationException(
                $"{EnabledSetting}=true is refused in {app.Environment.EnvironmentName} while listening on {string.Join(", ", open)}: " +
                "demo users would be reachable from other machines; listen on loopback only (e.g. ASPNETCORE_URLS=http://127.0.0.1:5080) or turn demo data off");
        return app;
    }

    /// <summary>Where Kestrel will listen: <c>urls</c> (ASPNETCORE_URLS), <c>http_ports</c>/<c>https_ports</c>, Kestrel endpoints, else its default.</summary>
    static List<string> ListeningAddresses(IConfiguration config)
    {
        var addresses = new List<string>();
        addresses.AddRange(Split(config["urls"]));
        addresses.AddRange(Split(config["http_ports"]).Select(p => $"http://*:{p}"));
        addresses.AddRange(Split(config["https_ports"]).Select(p => $"https://*:{p}"));
        addresses.AddRange(config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return addresses.Count > 0 ? addresses : ["http://localhost:5000"];
    }

    static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static bool IsLoopback(string url)
    {
        string host;
        try { host = BindingAddress.Parse(url).Host; }
        catch (FormatException) { return false; }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
