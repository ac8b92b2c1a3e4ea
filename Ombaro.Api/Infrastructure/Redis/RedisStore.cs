using System.Diagnostics;
using System.Text.Json;
using StackExchange.Redis;

namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// The seed's <c>RedisClient</c>, typed: JSON values, hashes and counters on one Redis database. Every
/// write sets a TTL in the same step, so no key it writes can live forever.
/// </summary>
public sealed class RedisStore(IDatabase db, JsonSerializerOptions json)
{
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(1);
    static readonly RedisScript IncrementScript = RedisScript.Named("increment");

    public IDatabase Database => db;

    public async Task<T?> GetAsync<T>(RedisKey key)
    {
        var start = Stopwatch.GetTimestamp();
        var value = await db.StringGetAsync(key);
        RedisLatency.Record(db, start);
        return value.IsNull ? default : JsonSerializer.Deserialize<T>((byte[])value!, json);
    }

    public async Task<bool> SetAsync<T>(RedisKey key, T value, TimeSpan? expiry = null)
    {
        var start = Stopwatch.GetTimestamp();
        var written = await db.StringSetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, json), Checked(expiry));
        RedisLatency.Record(db, start);
        return written;
    }

    public Task<bool> DeleteAsync(RedisKey key) => db.KeyDeleteAsync(key);

    public Task<bool> ExistsAsync(RedisKey key) => db.KeyExistsAsync(key);

    /// <summary>HSET and PEXPIRE in one MULTI/EXEC: the hash never exists without a TTL.</summary>
    public async Task SetHashAsync(RedisKey key, IReadOnlyDictionary<string, string> fields, TimeSpan? expiry = null)
    {
        var ttl = Checked(expiry);
        var start = Stopwatch.GetTimestamp();
        var tx = db.CreateTransaction();
        _ = tx.HashSetAsync(key, fields.Select(f => new HashEntry(f.Key, f.Value)).ToArray());
        _ = tx.KeyExpireAsync(key, ttl);
        await tx.ExecuteAsync();
        RedisLatency.Record(db, start);
    }

    public async Task<Dictionary<string, string>> GetHashAsync(RedisKey key)
    {
        var start = Stopwatch.GetTimestamp();
        var entries = await db.HashGetAllAsync(key);
        RedisLatency.Record(db, start);
        return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
    }

    /// <summary>INCRBY that gives a new counter its TTL in the same script.</summary>
    public async Task<long> IncrementAsync(RedisKey key, long amount = 1, TimeSpan? expiry = null)
    {
        var ttl = (long)Checked(expiry).TotalMilliseconds;
        return (long)await IncrementScript.EvaluateAsync(db, [key], [amount, ttl]);
    }

    /// <summary>Deletes all keys in one pipeline (one round trip); keys may live in different cluster slots.</summary>
    public Task<long> DeleteManyAsync(IEnumerable<RedisKey> keys) => DeleteManyAsync(db, keys);

    /// <inheritdoc cref="DeleteManyAsync(IEnumerable{RedisKey})"/>
    public static async Task<long> DeleteManyAsync(IDatabase db, IEnumerable<RedisKey> keys)
    {
        var batch = db.CreateBatch();
        var deletes = keys.Distinct().Select(k => batch.KeyDeleteAsync(k)).ToList();
        batch.Execute();
        var results = await Task.WhenAll(deletes);
        return results.Count(deleted => deleted);
    }

    static TimeSpan Checked(TimeSpan? expiry)
    {
        var ttl = expiry ?? DefaultExpiry;
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(expiry), ttl, "Every key needs a positive TTL.");
        return ttl;
    }
}
