namespace Ombaro.Api.Infrastructure.Postgres;

/// <summary>Waits for PostgreSQL, applies migrations, and loads the demo data when <c>Demo:Enabled=true</c> (see <see cref="DemoData"/>).</summary>
public sealed partial class DatabaseStartup(
    Migrator migrator, NpgsqlDataSource dataSource, IHostEnvironment env, IConfiguration config,
    TimeProvider clock, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(config.GetValue("Postgres:StartupWaitSeconds", 30));
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(ct);
                break;
            }
            catch (NpgsqlException e) when (e.IsTransient && clock.GetUtcNow() < deadline)
            {
                LogWaiting(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        if (DemoData.IsEnabled(config)) await LoadDemoDataAsync(ct);
    }

    async Task LoadDemoDataAsync(CancellationToken ct)
    {
        var assembly = Assembly.GetExecutingAssembly();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("demo.", StringComparison.Ordinal)).Order())
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            await conn.ExecuteAsync(new CommandDefinition(await reader.ReadToEndAsync(ct), cancellationToken: ct));
        }
        LogDemoData(env.EnvironmentName);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "PostgreSQL is not ready yet ({Reason}); retrying")]
    partial void LogWaiting(string reason);

    [LoggerMessage(LogLevel.Warning, "Demo data loaded ({Environment}): well-known demo users exist")]
    partial void LogDemoData(string environment);
}
