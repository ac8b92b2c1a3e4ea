namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// A Lua script embedded as <c>Infrastructure/Redis/Scripts/{name}.lua</c>, read and hashed once. It is sent
/// as EVALSHA of that hash, and as EVAL (which loads it again) when the server answers NOSCRIPT, so it keeps
/// working after <c>SCRIPT FLUSH</c> or a restart. (Passing the source to StackExchange.Redis would do the same,
/// but it finds the hash by looking the whole source text up in a hashtable on every call: about 1 µs a call,
/// 1 % of the API's CPU on a rate-limited cache hit in a profile; bench/README.md.)
/// </summary>
public sealed class RedisScript
{
    static readonly ConcurrentDictionary<string, RedisScript> Loaded = new();

    RedisScript(string name, string source) => (Name, Source, sha1) = (name, source, SHA1.HashData(Encoding.UTF8.GetBytes(source)));

    readonly byte[] sha1;

    public string Name { get; }
    public string Source { get; }

    public static RedisScript Named(string name) => Loaded.GetOrAdd(name, static n =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("lua." + n)
            ?? throw new InvalidOperationException($"No embedded Lua script named '{n}'.");
        using var reader = new StreamReader(stream);
        return new RedisScript(n, reader.ReadToEnd());
    });

    /// <summary>Runs the script; keys of several cluster slots are refused before anything is sent (<see cref="RedisSlot"/>).</summary>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync db, RedisKey[] keys, RedisValue[] args)
    {
        RedisSlot.EnsureOne($"Script '{Name}'", keys);
        var start = Stopwatch.GetTimestamp();
        RedisResult result;
        try { result = await db.ScriptEvaluateAsync(sha1, keys, args); }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            result = await db.ScriptEvaluateAsync(Source, keys, args);
        }
        RedisLatency.Record(db, start);
        return result;
    }
}
