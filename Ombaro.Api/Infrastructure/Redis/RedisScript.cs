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

    public static RedisScript Named(string name) => Loaded.GetOrAdd(name, static n => new RedisScript(n, Read(n)));

    /// <summary>
    /// The script <paramref name="name"/> after the Lua <paramref name="library"/> it calls (local functions, as
    /// <c>gcra.lua</c>): one definition shared by several scripts, each still one source and one hash.
    /// </summary>
    public static RedisScript Named(string name, string library) =>
        Loaded.GetOrAdd(library + "+" + name, _ => new RedisScript(name, Read(library) + "\n" + Read(name)));

    static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("lua." + name)
            ?? throw new InvalidOperationException($"No embedded Lua script named '{name}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

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
