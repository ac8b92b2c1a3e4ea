using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using StackExchange.Redis;

namespace Ombaro.Api.Infrastructure.Redis;

/// <summary>
/// A Lua script embedded as <c>Infrastructure/Redis/Scripts/{name}.lua</c>, read once. StackExchange.Redis
/// sends it as EVALSHA once the server has it and falls back to EVAL on NOSCRIPT, so it keeps working
/// after <c>SCRIPT FLUSH</c> or a restart.
/// </summary>
public sealed class RedisScript
{
    static readonly ConcurrentDictionary<string, RedisScript> Loaded = new();

    RedisScript(string name, string source) => (Name, Source) = (name, source);

    public string Name { get; }
    public string Source { get; }

    public static RedisScript Named(string name) => Loaded.GetOrAdd(name, static n =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("lua." + n)
            ?? throw new InvalidOperationException($"No embedded Lua script named '{n}'.");
        using var reader = new StreamReader(stream);
        return new RedisScript(n, reader.ReadToEnd());
    });

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync db, RedisKey[] keys, RedisValue[] args)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await db.ScriptEvaluateAsync(Source, keys, args);
        RedisLatency.Record(db, start);
        return result;
    }
}
