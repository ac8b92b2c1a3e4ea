namespace Ombaro.Api.Infrastructure.Time;

/// <summary>
/// The time zones a vendor may name: IANA ids that PostgreSQL (<c>AT TIME ZONE</c>, <c>pg_timezone_names</c>) and .NET
/// (opening hours) both know. Windows ids (<c>India Standard Time</c>), which .NET would also accept, are not among
/// them. Matching ignores case; the id stored is PostgreSQL's spelling (<c>asia/kolkata</c> → <c>Asia/Kolkata</c>).
/// The list is read from PostgreSQL once per process.
/// </summary>
public sealed class TimeZoneIds(NpgsqlDataSource db)
{
    readonly SemaphoreSlim loading = new(1, 1);
    Dictionary<string, string>? known;

    /// <summary>The canonical id of <paramref name="id"/>, or null when it is not a zone both sides know.</summary>
    public async Task<string?> CanonicalAsync(string? id, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return null;
        var zones = known ?? await LoadAsync(ct);
        return zones.GetValueOrDefault(id);
    }

    async Task<Dictionary<string, string>> LoadAsync(CancellationToken ct)
    {
        await loading.WaitAsync(ct);
        try
        {
            if (known is not null) return known;
            await using var conn = await db.OpenConnectionAsync(ct);
            var names = await conn.QueryAsync<string>(new CommandDefinition("SELECT name FROM pg_timezone_names", cancellationToken: ct));
            var zones = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names.Order(StringComparer.Ordinal))
                if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) && zone.HasIanaId) zones.TryAdd(name, name);
            return known = zones;
        }
        finally { loading.Release(); }
    }
}
