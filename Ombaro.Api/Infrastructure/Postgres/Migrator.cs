namespace Ombaro.Api.Infrastructure.Postgres;

/// <summary>
/// Applies the embedded <c>Migrations/NNN_name.sql</c> files in order, each in its own transaction, under
/// a session advisory lock so that instances starting together take turns; applied versions are
/// recorded with a checksum, and an applied file that changed stops start-up.
/// </summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    const long LockId = 0x0_6D_62_61_72_6F; // "ombaro"

    public sealed record Migration(int Version, string Name, string Sql)
    {
        public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
    }

    public static IReadOnlyList<Migration> Embedded { get; } = Load();

    /// <returns>the versions applied by this call</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockId)", new { LockId }, cancellationToken: ct));
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken: ct));
            var applied = (await conn.QueryAsync<(int Version, string Checksum)>(
                new CommandDefinition("SELECT version, checksum FROM schema_migrations", cancellationToken: ct)))
                .ToDictionary(r => r.Version, r => r.Checksum);

            var done = new List<int>();
            foreach (var m in Embedded)
            {
                if (applied.TryGetValue(m.Version, out var checksum))
                {
                    if (checksum != m.Checksum)
                        throw new InvalidOperationException($"Migration {m.Version:000}_{m.Name} changed after it was applied; add a new migration instead.");
                    continue;
                }
                await using var tx = await conn.BeginTransactionAsync(ct);
                await conn.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct));
                await conn.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)",
                    new { m.Version, m.Name, m.Checksum }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                LogApplied(m.Version, m.Name);
                done.Add(m.Version);
            }
            return done;
        }
        finally
        {
            await conn.ExecuteAsync("SELECT pg_advisory_unlock(@LockId)", new { LockId });
        }
    }

    static IReadOnlyList<Migration> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations.", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n["migrations.".Length..^".sql".Length];           // "001_initial"
                var sep = file.IndexOf('_', StringComparison.Ordinal);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(int.Parse(file[..sep], System.Globalization.CultureInfo.InvariantCulture), file[(sep + 1)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    [LoggerMessage(LogLevel.Information, "Applied migration {Version}: {Name}")]
    partial void LogApplied(int version, string name);
}
