namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// Redis Cluster's key → slot function (CRC16-XMODEM of the key, or of its first non-empty <c>{hash tag}</c>,
/// modulo 16384), computed here so that a standalone deployment checks the same rule a cluster enforces: every
/// script and MULTI/EXEC must touch keys of one slot: <see cref="RedisScript"/> and
/// <see cref="CreateTransaction"/> refuse a call that breaks it before anything is sent.
/// </summary>
public static class RedisSlot
{
    public const int Count = 16384;
    static readonly ushort[] Table = BuildTable();

    public static int Of(RedisKey key) => Of(Encoding.UTF8.GetBytes(key.ToString()));

    public static int Of(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0) key = key.Slice(open + 1, close);   // "{}" (empty tag) hashes the whole key
        }
        ushort crc = 0;
        foreach (var b in key) crc = (ushort)((crc << 8) ^ Table[((crc >> 8) ^ b) & 0xFF]);
        return crc % Count;
    }

    /// <summary>Throws when <paramref name="keys"/> span several slots, naming what was called and the keys.</summary>
    public static void EnsureOne(string what, ReadOnlySpan<RedisKey> keys)
    {
        if (keys.Length < 2) return;
        var first = Of(keys[0]);
        foreach (var key in keys[1..])
        {
            if (Of(key) != first)
                throw new InvalidOperationException(
                    $"{what} touches keys of several Redis Cluster slots ({keys[0]} → {first}, {key} → {Of(key)}); give them one hash tag.");
        }
    }

    /// <summary>A MULTI/EXEC over <paramref name="keys"/>, refused (like a script) when they span several slots.</summary>
    public static ITransaction CreateTransaction(this IDatabase db, string what, params RedisKey[] keys)
    {
        EnsureOne($"Transaction '{what}'", keys);
        return db.CreateTransaction();
    }

    /// <summary>
    /// Builds and runs a MULTI/EXEC over <paramref name="keys"/> (one slot, as <see cref="CreateTransaction"/>). After a
    /// cluster failover StackExchange.Redis may send it to the node that owned the slot before; that node answers MOVED
    /// inside the transaction and EXEC fails with EXECABORT. Then a single-key command on the slot (which does follow
    /// MOVED, and so teaches the client the new owner) goes first, and the transaction is built and run once more.
    /// </summary>
    public static async Task<bool> ExecuteAsync(this IDatabase db, string what, RedisKey[] keys, Action<ITransaction> build)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tx = db.CreateTransaction(what, keys);
            build(tx);
            try { return await tx.ExecuteAsync(); }
            catch (RedisServerException e) when (attempt == 1 && e.Message.StartsWith("EXECABORT", StringComparison.Ordinal))
            {
                await db.KeyExistsAsync(keys[0]);
            }
        }
    }

    static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++) crc = (ushort)((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
            table[i] = crc;
        }
        return table;
    }
}
