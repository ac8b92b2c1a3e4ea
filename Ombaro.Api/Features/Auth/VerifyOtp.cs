using Ombaro.Api.Features.Admin;

namespace Ombaro.Api.Features.Auth;

/// <summary>
/// <c>POST /api/v1/auth/otp/verify</c>: trades a right code for a session token. A new mobile becomes a
/// customer (or an admin, when configured as a bootstrap admin).
/// </summary>
public sealed class VerifyOtp : ICarterModule
{
    public sealed record Request(string Mobile, string Code);
    public sealed record UserInfo(Guid Id, string Role, bool IsNew);
    public sealed record Response(string Token, DateTimeOffset ExpiresAt, UserInfo User);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OtpOptions> otp)
        {
            RuleFor(r => r.Mobile).Must(m => MobileNumber.IsAllowed(m, otp.Value.AllowedRegions)).WithMessage(otp.Value.MobileRule);
            RuleFor(r => r.Code).NotEmpty().Length(6).Must(c => c is not null && c.All(char.IsAsciiDigit)).WithMessage("The code has 6 digits.");
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().MapGroup("/otp").AllowAnonymous()
            .MapPost("/verify", Handle).Validate<Request>()
            .WithName("VerifyOtp").WithSummary("Sign in with the code sent by SMS; answers a bearer token.");

    /// <summary>What signing in uses, bound with <c>[AsParameters]</c>.</summary>
    public sealed record Services(OtpStore Otp, RateLimiter Limiter, ClientAddress Clients, UserAccounts Accounts, SessionStore Sessions,
        UserSnapshots Snapshots, UserCaches Users);

    static async Task<Results<Ok<Response>, BadRequestProblem, ForbiddenProblem, ConflictProblem, TooManyRequestsProblem, ServiceUnavailableProblem>> Handle(Request request, HttpContext http, [AsParameters] Services services, CancellationToken ct)
    {
        var (otp, limiter, clients, accounts, sessions, snapshots, users) = services;
        var mobile = MobileNumber.Normalize(request.Mobile)!;
        if (await limiter.CheckAsync(http, limiter.ForMobile("VerifyOtp", mobile)) is { } limited)
            // The limiter's refusal, the same document typed by its status: 429, or 503 when it fails closed without Redis.
            return limited.StatusCode == StatusCodes.Status429TooManyRequests
                ? new TooManyRequestsProblem(limited.ProblemDetails)
                : new ServiceUnavailableProblem(limited.ProblemDetails);

        var result = await otp.VerifyAsync(mobile, request.Code, clients.Subject(http));
        switch (result.Verdict)
        {
            case OtpStore.Verdict.Throttled:
                var seconds = (int)Math.Ceiling(result.RetryAfter.TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problems.TooManyRequests("Too many wrong codes",
                    $"Too many wrong codes for this mobile from your network; try again in {seconds} s.",
                    new Dictionary<string, object?> { ["retryAfter"] = seconds });
            case OtpStore.Verdict.Unknown:
                return Rejected("No code is pending for this mobile (expired, used or never sent); request a new one.", 0);
            case OtpStore.Verdict.Wrong:
                return Rejected($"The code is wrong; {result.AttemptsLeft} attempt(s) left.", result.AttemptsLeft);
            case OtpStore.Verdict.Locked:
                return Rejected("Too many wrong codes; this code is void for you, request a new one.", 0);
        }

        var ip = clients.Of(http);
        var account = await accounts.SignInAsync(mobile, ip, ct);
        if (account.IsNew) await users.ListsChangedAsync();   // a new customer, or a bootstrap admin, joins the admin user list
        if (account.Status != UserStatus.Active)
            return Problems.Forbidden("Account not active",
                $"This account is {account.Status}; contact support.");

        var session = await sessions.CreateAsync(account.Id, account.Role, ip, http.Request.Headers.UserAgent.ToString());
        // An admin may have changed the account since it was read: such a session would be refused on use, so don't hand it out.
        if (await snapshots.GetAsync(account.Id, ct) is not { IsActive: true } now || now.Role != account.Role)
        {
            await sessions.RevokeAsync(account.Id, session.SessionId);
            return Problems.Conflict("Account changed",
                "The account was changed while signing in; sign in again.");
        }
        return TypedResults.Ok(new Response(session.Token, session.ExpiresAt, new UserInfo(account.Id, account.Role, account.IsNew)));
    }

    static BadRequestProblem Rejected(string detail, int attemptsLeft) =>
        Problems.BadRequest("Code not accepted", detail,
            new Dictionary<string, object?> { ["attemptsLeft"] = attemptsLeft });
}
