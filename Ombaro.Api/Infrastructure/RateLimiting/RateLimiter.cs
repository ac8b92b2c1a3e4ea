using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Routing;

namespace Ombaro.Api.Infrastructure.RateLimiting;

/// <summary>
/// Checks requests against the configured policies (GCRA on server time: a burst of <c>PermitLimit</c>, then one
/// every <c>Window / PermitLimit</c>; one small string per subject and policy) and writes the IETF draft
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> headers on every response it saw. The policies of one subject (the
/// client's address, the signed-in user) live on one Redis Cluster slot and are checked by one Lua script, all or
/// nothing. A request's checks take one Redis stage with its authentication: the address's are sent before
/// authentication (<see cref="Start"/>), so their script travels with the session's; the user's are checked inside the
/// session's own script (their keys take the session's <c>{user id}</c> hash tag) and only for a live session
/// (<see cref="ForUser"/> names them, <see cref="Charged"/> hands the results back); after authentication
/// <see cref="CheckRequestAsync"/> awaits both and applies them. Evaluating (Redis, <see cref="Evaluate"/>) and applying
/// (headers, the refusal, <see cref="ApplyAsync"/>) are separate steps. Across subjects the decision is not atomic: a
/// request refused by the user's limit is still charged to the address (it over-counts, never lets more through).
/// Redis trouble fails open (or closed, when configured), with a warning and a counter, after at most
/// <see cref="RateLimitOptions.RedisTimeout"/> of waiting for the replies; keys of several slots in one script are a
/// bug and are never taken for "Redis away".
/// </summary>
public sealed partial class RateLimiter(
    RedisConnections redis, IOptions<RateLimitOptions> options, ClientAddress clients, RateLimitMetrics metrics,
    TimeProvider clock, ILogger<RateLimiter> logger)
{
    static readonly RedisScript Script = RedisScript.Named("rate_limit", "gcra");
    const string StatesItem = "ombaro.ratelimit";
    const string EvaluationsItem = "ombaro.ratelimit.evaluations";
    RateLimitOptions Options => options.Value;

    public sealed record Check(string Policy, RateLimitPolicy Rule, string Subject, RedisKey Key)
    {
        public Check(string policy, RateLimitPolicy rule, string subject) : this(policy, rule, subject, RedisKeys.RateLimit(subject, policy)) { }
    }

    /// <summary>
    /// One subject's checks and the reply of their script (gcra.lua's <c>{admitted, remaining, reset, retry, ...}</c>):
    /// on its way from Redis, or already here.
    /// </summary>
    public sealed record Evaluation(IReadOnlyList<Check> Checks, Task<RedisResult[]> Reply);

    /// <summary>Whether a request passes the limiter at all: every <c>/api</c> request does.</summary>
    public static bool Guards(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    /// <summary>The endpoint's name, which endpoint-scoped policies (<see cref="RateLimitPolicy.AppliesTo"/>) match.</summary>
    public static string? EndpointOf(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    /// <summary>
    /// One policy after a check: <see cref="Reset"/> is the time until its quota is whole again, or, when it refused the
    /// request, until it may retry (the <c>t</c> of the <c>RateLimit</c> header); <see cref="Retry"/> the time until one
    /// more request may pass (zero while <see cref="Remaining"/> is above zero).
    /// </summary>
    public sealed record State(string Policy, RateLimitPolicy Rule, long Remaining, TimeSpan Reset, TimeSpan Retry);

    /// <summary>
    /// The <c>ip</c> policies of this request's endpoint for the caller's address, in configuration order; none when
    /// limiting is off or the request does not pass the limiter.
    /// </summary>
    public IReadOnlyList<Check> ForAddress(HttpContext http) =>
        Options.Enabled && Guards(http) && PoliciesOf(EndpointOf(http)) is { Address.Length: > 0 } policies ? AddressChecks(http, policies) : [];

    /// <summary>
    /// The <c>user</c> policies of this request's endpoint for the user a bearer token names, for authentication to
    /// check in the session's script, in configuration order (the limiter takes their result back once the user is
    /// signed in); none when limiting is off or the request does not pass the limiter.
    /// </summary>
    public IReadOnlyList<Check> ForUser(HttpContext http, Guid userId) =>
        Options.Enabled && Guards(http) && PoliciesOf(EndpointOf(http)) is { User.Length: > 0 } policies ? UserChecks(userId, policies) : [];

    /// <summary>
    /// An endpoint's <c>ip</c> and <c>user</c> policies, each in configuration order, and which partition comes first
    /// (the order of the headers): resolved once per endpoint name, since every request of the endpoint needs them.
    /// </summary>
    sealed record EndpointPolicies(KeyValuePair<string, RateLimitPolicy>[] Address, KeyValuePair<string, RateLimitPolicy>[] User, bool AddressFirst);

    readonly ConcurrentDictionary<string, EndpointPolicies> byEndpoint = new();
    EndpointPolicies? unnamed;

    EndpointPolicies PoliciesOf(string? endpoint) => endpoint is null ? unnamed ??= Resolve(null) : byEndpoint.GetOrAdd(endpoint, Resolve);

    EndpointPolicies Resolve(string? endpoint)
    {
        var applying = Options.Policies.Where(p => p.Value.AppliesTo(endpoint)).ToList();
        return new(
            [.. applying.Where(p => p.Value.Partition == RateLimitPolicy.ByIp)],
            [.. applying.Where(p => p.Value.Partition == RateLimitPolicy.ByUser)],
            applying.FirstOrDefault(p => p.Value.Partition is RateLimitPolicy.ByIp or RateLimitPolicy.ByUser).Value?.Partition != RateLimitPolicy.ByUser);
    }

    Check[] AddressChecks(HttpContext http, EndpointPolicies policies)
    {
        var ip = clients.Subject(http);
        var checks = new Check[policies.Address.Length];
        for (var i = 0; i < checks.Length; i++) checks[i] = new Check(policies.Address[i].Key, policies.Address[i].Value, ip);
        return checks;
    }

    static Check[] UserChecks(Guid userId, EndpointPolicies policies)
    {
        var checks = new Check[policies.User.Length];
        for (var i = 0; i < checks.Length; i++) checks[i] = UserCheck(policies.User[i].Key, policies.User[i].Value, userId);
        return checks;
    }

    static Check UserCheck(string policy, RateLimitPolicy rule, Guid userId) =>
        new(policy, rule, UserSubject(userId), RedisKeys.UserRateLimit(userId, policy));

    static string UserSubject(Guid userId) => "user-" + userId;

    /// <summary>The <c>mobile</c> policies of an endpoint, for the OTP slices once the mobile is known.</summary>
    public IReadOnlyList<Check> ForMobile(string endpoint, string mobile) =>
        Options.Policies
            .Where(p => p.Value.Partition == RateLimitPolicy.ByMobile && p.Value.AppliesTo(endpoint))
            .Select(p => new Check(p.Key, p.Value, "mobile-" + mobile))
            .ToList();

    /// <summary>The script arguments of <paramref name="checks"/>: each policy's limit and window (ms), in order.</summary>
    public static RedisValue[] Arguments(IEnumerable<Check> checks) =>
        checks.SelectMany(c => new RedisValue[] { c.Rule.PermitLimit, (long)c.Rule.Window.TotalMilliseconds }).ToArray();

    /// <summary>
    /// Before authentication: sends this request's address checks (<see cref="ForAddress"/>) to Redis without waiting
    /// for the reply, so their script travels with the session's, and keeps them in the request for
    /// <see cref="CheckRequestAsync"/>.
    /// </summary>
    public void Start(HttpContext http)
    {
        if (ForAddress(http) is { Count: > 0 } checks) Known(http).Add(Evaluate(checks));
    }

    /// <summary>Takes the reply of <c>gcra.lua</c> for the <see cref="ForUser"/> checks, made by authentication.</summary>
    public static void Charged(HttpContext http, IReadOnlyList<Check> checks, RedisResult[] result)
    {
        if (checks.Count > 0) Known(http).Add(new Evaluation(checks, Task.FromResult(result)));
    }

    /// <summary>
    /// After authentication: every <c>ip</c> policy of the endpoint, and every <c>user</c> policy for a signed-in caller,
    /// in the order of their partitions in the configuration (the headers' order); each subject's from the evaluation
    /// this request already holds (the address's, started before authentication; the user's, made by the session
    /// script), any other sent now; applied by <see cref="ApplyAsync"/>.
    /// </summary>
    public Task<ProblemHttpResult?> CheckRequestAsync(HttpContext http)
    {
        if (!Options.Enabled) return Task.FromResult<ProblemHttpResult?>(null);
        var known = http.Items[EvaluationsItem] as List<Evaluation>;
        var policies = PoliciesOf(EndpointOf(http));
        var address = policies.Address.Length == 0 ? null
            : known?.Find(static e => e.Checks[0].Rule.Partition == RateLimitPolicy.ByIp) ?? Evaluate(AddressChecks(http, policies));
        Evaluation? user = null;
        if (policies.User.Length > 0 && http.User.Identity?.IsAuthenticated == true)
        {
            var id = http.User.UserId();
            var subject = UserSubject(id);
            user = known?.Find(e => e.Checks[0].Subject == subject) ?? Evaluate(UserChecks(id, policies));
        }
        List<Evaluation> evaluations = new(2);
        if (policies.AddressFirst && address is not null) evaluations.Add(address);
        if (user is not null) evaluations.Add(user);
        if (!policies.AddressFirst && address is not null) evaluations.Add(address);
        return ApplyAsync(http, evaluations);
    }

    /// <summary>Checks now (the OTP slices' <see cref="ForMobile"/> checks): null when admitted, else the problem to answer.</summary>
    public Task<ProblemHttpResult?> CheckAsync(HttpContext http, IReadOnlyList<Check> checks) =>
        !Options.Enabled || checks.Count == 0
            ? Task.FromResult<ProblemHttpResult?>(null)
            : ApplyAsync(http, checks.GroupBy(c => c.Subject).Select(subject => Evaluate(subject.ToList())).ToList());

    /// <summary>
    /// Sends one subject's <paramref name="checks"/> to Redis (<c>rate_limit.lua</c>) and returns without waiting for
    /// the reply. Redis only: it touches nothing of a request, so the request may go on meanwhile. A failed reply is
    /// observed whoever awaits it, or nobody does (authentication threw, the pipeline ended early, the wait timed out).
    /// </summary>
    public Evaluation Evaluate(IReadOnlyList<Check> checks)
    {
        var reply = ReplyAsync(checks);
        Observe(reply);
        return new Evaluation(checks, reply);
    }

    async Task<RedisResult[]> ReplyAsync(IReadOnlyList<Check> checks) =>
        (RedisResult[])(await Script.EvaluateAsync(redis.StateDb, checks.Select(c => c.Key).ToArray(), Arguments(checks)))!;

    /// <summary>
    /// Awaits the <paramref name="evaluations"/> (all together at most <see cref="RateLimitOptions.RedisTimeout"/> from
    /// now, on the app's clock) and applies them: remembers their states for the headers, and answers null when
    /// admitted, else the problem to answer (429, or 503 when Redis is away and failing closed).
    /// </summary>
    public async Task<ProblemHttpResult?> ApplyAsync(HttpContext http, IReadOnlyList<Evaluation> evaluations)
    {
        if (evaluations.Count == 0) return null;
        var replies = Task.WhenAll(evaluations.Select(e => e.Reply));
        RedisResult[][] results;
        try
        {
            // no timer when the replies are in (often: authentication awaited the session's script); else the budget on the app's clock
            results = await (replies.IsCompletedSuccessfully ? replies : replies.WaitAsync(Options.RedisTimeout, clock, http.RequestAborted));
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
        finally
        {
            if (!replies.IsCompletedSuccessfully) Observe(replies);   // given up waiting: a later failure is not unobserved
        }

        var states = new List<(bool Refused, State State)>(evaluations.Count);
        for (var g = 0; g < evaluations.Count; g++)
        {
            var reply = results[g];
            var checks = evaluations[g].Checks;
            for (var i = 0; i < checks.Count; i++)
                states.Add(((long)reply[0] == 0, new State(checks[i].Policy, checks[i].Rule, (long)reply[1 + 3 * i],
                    TimeSpan.FromMilliseconds((long)reply[2 + 3 * i]), TimeSpan.FromMilliseconds((long)reply[3 + 3 * i]))));
        }
        Remember(http, states.ConvertAll(s => s.State));
        if (!states.Exists(s => s.Refused)) return null;

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

    /// <summary>The evaluations this request holds (<see cref="Start"/>, <see cref="Charged"/>).</summary>
    static List<Evaluation> Known(HttpContext http)
    {
        if (http.Items[EvaluationsItem] is List<Evaluation> known) return known;
        var created = new List<Evaluation>(2);
        http.Items[EvaluationsItem] = created;
        return created;
    }

    /// <summary>Marks a task's failure as observed when it happens, whether or not anyone awaits the task.</summary>
    static void Observe(Task task) => _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

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
            http.Response.Headers["RateLimit-Policy"] = all.Count == 1 ? PolicyHeader(all[0]) : string.Join(", ", all.Select(PolicyHeader));
            http.Response.Headers["RateLimit"] = string.Join(", ", all.Select(s => $"\"{s.Policy}\";r={s.Remaining};t={Seconds(s.Reset)}"));
            return Task.CompletedTask;
        });
    }

    /// <summary>A policy's part of the <c>RateLimit-Policy</c> header: the same for every response, so made once per policy.</summary>
    static string PolicyHeader(State s)
    {
        if (PolicyHeaders.TryGetValue(s.Rule, out var header)) return header;
        header = $"\"{s.Policy}\";q={s.Rule.PermitLimit};w={Seconds(s.Rule.Window)}";
        PolicyHeaders.AddOrUpdate(s.Rule, header);
        return header;
    }

    static readonly ConditionalWeakTable<RateLimitPolicy, string> PolicyHeaders = new();

    static bool IsCrossSlot(Exception e) => e is RedisServerException && e.Message.StartsWith("CROSSSLOT", StringComparison.Ordinal);

    static long Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds));

    [LoggerMessage(LogLevel.Warning, "Rate limiting: Redis unavailable ({Reason}); request {Outcome}")]
    partial void LogUnavailable(string reason, string outcome);
}
