namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// The vendor geo sets on the state Redis: <c>ombaro:{geo:vendors}:{type}</c> and <c>...:all</c> hold every active,
/// verified vendor (member = vendor id), kept in step with PostgreSQL by <see cref="SyncAsync"/> inside the
/// writing transaction. <c>ombaro:{geo:vendors}:built</c> says they were built from PostgreSQL; when Redis lost
/// them, one instance (holding <c>ombaro:{geo:vendors}:rebuilding</c>) rebuilds them while searches are
/// answered from PostgreSQL, never from the empty sets.
/// </summary>
public sealed partial class VendorGeoIndex(RedisConnections redis, NpgsqlDataSource db, TimeProvider clock, ILogger<VendorGeoIndex> logger)
{
    static readonly TimeSpan RebuildLease = TimeSpan.FromSeconds(30);
    IDatabase Db => redis.StateDb;

    /// <summary>A vendor and the types it is listed under (empty: not listed).</summary>
    public sealed record Entry(Guid Id, double Latitude, double Longitude, IReadOnlyCollection<string> ListedTypes);

    static IEnumerable<string> Sets => VendorCatalog.ServiceTypes.Append(VendorCatalog.AllTypes);

    /// <summary>Puts the vendor in exactly the sets it belongs to and takes it out of all others, in one MULTI/EXEC.</summary>
    public async Task SyncAsync(Entry entry)
    {
        var tx = Db.CreateTransaction("vendor geo sync", [.. Sets.Select(RedisKeys.GeoVendors)]);
        foreach (var set in Sets)
        {
            var listed = entry.ListedTypes.Count > 0 && (set == VendorCatalog.AllTypes || entry.ListedTypes.Contains(set));
            _ = listed
                ? tx.GeoAddAsync(RedisKeys.GeoVendors(set), entry.Longitude, entry.Latitude, entry.Id.ToString())
                : tx.SortedSetRemoveAsync(RedisKeys.GeoVendors(set), entry.Id.ToString());
        }
        await tx.ExecuteAsync();
    }

    /// <summary>
    /// Commits <paramref name="tx"/> with the geo sets already holding <paramref name="after"/>; if the commit fails they
    /// are put back to <paramref name="before"/>. A Redis failure before the commit rolls the write back (503).
    /// </summary>
    public async Task CommitAsync(NpgsqlTransaction tx, Entry? before, Entry after, CancellationToken ct)
    {
        await SyncAsync(after);
        try
        {
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            try { await SyncAsync(before ?? after with { ListedTypes = [] }); }
            catch (RedisException undo) { LogUndoFailed(after.Id, undo.GetType().Name); }
            throw;
        }
    }

    /// <summary>True when the sets can be searched: built already, or rebuilt now by this caller.</summary>
    public async Task<bool> EnsureBuiltAsync(CancellationToken ct)
    {
        if (await Db.KeyExistsAsync(RedisKeys.GeoVendorsBuilt)) return true;
        var lease = Guid.NewGuid().ToString();
        if (!await Db.LockTakeAsync(RedisKeys.GeoVendorsRebuilding, lease, RebuildLease)) return false;
        try
        {
            await RebuildAsync(ct);
            return true;
        }
        finally
        {
            await Db.LockReleaseAsync(RedisKeys.GeoVendorsRebuilding, lease);
        }
    }

    /// <summary>
    /// Adds every listed vendor and sets the marker in one MULTI/EXEC. Only adds: a concurrent
    /// <see cref="SyncAsync"/> is never undone, and a vendor delisted meanwhile is dropped at query time (searches
    /// re-check status in PostgreSQL).
    /// </summary>
    async Task RebuildAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var vendors = (await conn.QueryAsync<(Guid Id, double Latitude, double Longitude, string[] Types)>(new CommandDefinition("""
            SELECT id, latitude, longitude, service_types FROM vendors
            WHERE status = 'active' AND verified_at IS NOT NULL AND abs(latitude) <= @max
            """, new { max = InputRules.MaxGeoLatitude }, cancellationToken: ct))).ToList();
        var tx = Db.CreateTransaction("vendor geo rebuild", [.. Sets.Select(RedisKeys.GeoVendors), RedisKeys.GeoVendorsBuilt]);
        foreach (var set in Sets)
        {
            var members = vendors.Where(v => set == VendorCatalog.AllTypes || v.Types.Contains(set))
                .Select(v => new GeoEntry(v.Longitude, v.Latitude, v.Id.ToString())).ToArray();
            if (members.Length > 0) _ = tx.GeoAddAsync(RedisKeys.GeoVendors(set), members);
        }
        _ = tx.StringSetAsync(RedisKeys.GeoVendorsBuilt, clock.GetUtcNow().ToUnixTimeMilliseconds());
        await tx.ExecuteAsync();
        LogRebuilt(vendors.Count);
    }

    [LoggerMessage(LogLevel.Error, "Vendor {VendorId}: commit failed and the geo index could not be put back ({Reason}); searches re-check PostgreSQL")]
    partial void LogUndoFailed(Guid vendorId, string reason);

    [LoggerMessage(LogLevel.Information, "Vendor geo index rebuilt from PostgreSQL: {Count} vendors")]
    partial void LogRebuilt(int count);

    [LoggerMessage(LogLevel.Warning, "Vendor geo index not checked at start-up ({Reason}); it is rebuilt on first use")]
    internal partial void LogStartupSkipped(string reason);

    /// <summary>Rebuilds a missing index at start-up (after migrations); Redis being away only defers it to first use.</summary>
    public sealed class Startup(VendorGeoIndex index) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            try { await index.EnsureBuiltAsync(ct); }
            catch (Exception e) when (e is RedisException or NpgsqlException or TimeoutException) { index.LogStartupSkipped(e.GetType().Name); }
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
