namespace Ombaro.Api.Infrastructure.RateLimiting;

/// <summary>
/// Checks requests against the configured policies (GCRA on server time: a burst of <c>PermitLimit</c>, then one
/// every <c>Window / PermitLimit</c>; one small string per subject and policy) and writes the IETF draft
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> headers on every response it saw. The policies of one subject (the
/// client's address, the signed-in user) live on one Redis Cluster slot and are checked by one Lua script, all or
/// nothing; the subjects of a request are checked by one script call each, sent together (one round trip). Across
/// subjects the decision is not atomic: a request refused by the user's limit may still be charged to the address
/// (it over-counts, never lets more through). Redis trouble fails open (or closed, when configured), with a
/// warning and a counter, after at most <see cref="RateLimitOptions.RedisTimeout"/>; keys of several slots in one
/// script are a bug and are never taken for "Redis away".
/// </summary>
public sealed partial class RateLimiter(
    RedisConnections redis, IOptions<RateLimitOptions> options, ClientAddress clients, RateLimitMetrics metrics,
    TimeProvider clock, ILogger<RateLimiter> logger)
{
    static readonly RedisScript Script = RedisScript.Named("rate_limit");
    const string StatesItem = "ombaro.ratelimit";
    RateLimitOptions Options => options.Value;

    public sealed record Check(string Policy, RateLimitPolicy Rule, string Subject)
    {
        public RedisKey Key => RedisKeys.RateLimit(Subject, Policy);
    }

    /// <summary>
    /// One policy after a check: <see cref="Reset"/> is the time until its quota is whole again, or, when it refused the
    /// request, until it may retry (the <c>t</c> of the <c>RateLimit</c> header); <see cref="Retry"/> the time until one
    /// more request may pass (zero while <see cref="Remaining"/> is above zero).
    /// </summary>
    public sealed record State(string Policy, RateLimitPolicy Rule, long Remaining, TimeSpan Reset, TimeSpan Retry);

    /// <summary>The checks the middleware makes: every <c>ip</c> policy, and every <c>user</c> policy for a signed-in caller.</summary>
    public IReadOnlyList<Check> ForRequest(HttpContext http, string? endpoint)
    {
        var ip = clients.Subject(http);
        var user = http.User.Identity?.IsAuthenticated == true ? "user-" + http.User.UserId() : null;
        return Options.Policies
            .Where(p => p.Value.AppliesTo(endpoint))
            .Select(p => p.Value.Partition switch
            {
                RateLimitPolicy.ByIp => new Check(p.Key, p.Value, ip),
                RateLimitPolicy.ByUser when user is not null => new Check(p.Key, p.Value, user),
                _ => null,
            })
            .OfType<Check>()
            .ToList();
    }

    /// <summary>The <c>mobile</c> policies of an endpoint, for the OTP slices once the mobile is known.</summary>
    public IReadOnlyList<Check> ForMobile(string endpoint, string mobile) =>
        Options.Policies
            .Where(p => p.Value.Partition == RateLimitPolicy.ByMobile && p.Value.AppliesTo(endpoint))
            .Select(p => new Check(p.Key, p.Value, "mobile-" + mobile))
            .ToList();

    /// <summary>Null when admitted; otherwise the problem to answer (429, or 503 when Redis is away and failing closed).</summary>
    public async Task<ProblemHttpResult?> CheckAsync(HttpContext http, IReadOnlyList<Check> checks)
    {
        if (!Options.Enabled || checks.Count == 0) return null;
        var groups = checks.GroupBy(c => c.Subject).Select(g => g.ToList()).ToList();
        RedisResult[][] results;
        try
        {
            results = await Task.WhenAll(groups.Select(async group =>
            {
                var args = group.SelectMany(c => new RedisValue[] { c.Rule.PermitLimit, (long)c.Rule.Window.TotalMilliseconds }).ToArray();
                return (RedisResult[])(await Script.EvaluateAsync(redis.StateDb, group.Select(c => c.Key).ToArray(), args))!;
            })).WaitAsync(Options.RedisTimeout, clock, http.RequestAborted);   // the budget on the app's clock
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException && !IsCrossSlot(e))
        {
            metrics.Unavailable(Options.FailClosed);
            LogUnavailable(e.GetType().Name, Options.FailClosed ? "refused (fail closed)" : "let through (fail open)");
            if (!Options.FailClosed) return null;
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service temporarily unavailable",
                detail: "Rate limits cannot be checked right now (Redis is not reachable); try again shortly.");
        }

        var states = groups.SelectMany((group, g) => group.Select((c, i) => (Refused: (long)results[g][0] == 0, State: new State(c.Policy, c.Rule,
            (long)results[g][1 + 3 * i], TimeSpan.FromMilliseconds((long)results[g][2 + 3 * i]), TimeSpan.FromMilliseconds((long)results[g][3 + 3 * i]))))).ToList();
        Remember(http, states.Select(s => s.State).ToList());
        if (!states.Any(s => s.Refused)) return null;

        // named: the refusing policy that keeps the caller waiting longest; Retry-After: the longest wait of all, which
        // may be a policy of another subject that this request just used up
        var full = states.Where(s => s.Refused && s.State.Remaining == 0).MaxBy(s => s.State.Retry).State;
        var retryAfter = Seconds(states.Max(s => s.State.Retry));
        metrics.Rejected(full.Policy);
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"The '{full.Policy}' limit of {full.Rule.PermitLimit} requests per {Seconds(full.Rule.Window)} s is used up; retry in {retryAfter} s.",
            extensions: new Dictionary<string, object?> { ["policy"] = full.Policy, ["retryAfter"] = retryAfter });
    }

    /// <summary>Collects the states of all checks of a request; the headers are written once, as the response starts.</summary>
    static void Remember(HttpContext http, List<State> states)
    {
        if (http.Items[StatesItem] is List<State> known)
        {
            known.AddRange(states);
            return;
        }
        http.Items[StatesItem] = states;
        http.Response.OnStarting(() =>
        {
            var all = (List<State>)http.Items[StatesItem]!;
            http.Response.Headers["RateLimit-Policy"] = string.Join(", ", all.Select(s => $"\"{s.Policy}\";q={s.Rule.PermitLimit};w={Seconds(s.Rule.Window)}"));
            http.Response.Headers["RateLimit"] = string.Join(", ", all.Select(s => $"\"{s.Policy}\";r={s.Remaining};t={Seconds(s.Reset)}"));
            return Task.CompletedTask;
        });
    }

    static bool IsCrossSlot(Exception e) => e is RedisServerException && e.Message.StartsWith("CROSSSLOT", StringComparison.Ordinal);

    static long Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds));

    [LoggerMessage(LogLevel.Warning, "Rate limiting: Redis unavailable ({Reason}); request {Outcome}")]
    partial void LogUnavailable(string reason, string outcome);
}
