namespace Ombaro.Api.Features.Auth;

/// <summary>
/// <c>POST /api/v1/auth/otp/request</c>: sends a one-time code to the mobile. The answer is the same
/// whether or not the mobile has an account.
/// </summary>
public sealed class RequestOtp : ICarterModule
{
    public sealed record Request(string Mobile);
    public sealed record Response(string Mobile, DateTimeOffset ExpiresAt, int ResendAfterSeconds);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OtpOptions> otp) => RuleFor(r => r.Mobile).Must(m => MobileNumber.IsAllowed(m, otp.Value.AllowedRegions)).WithMessage(otp.Value.MobileRule);
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().MapGroup("/otp").AllowAnonymous()
            .MapPost("/request", Handle).Validate<Request>()
            .WithName("RequestOtp").WithSummary("Send a one-time login code by SMS (resend after 30 s, at most 5 an hour; the last one then stays valid).");

    static async Task<Results<Accepted<Response>, TooManyRequestsProblem, ServiceUnavailableProblem>> Handle(
        Request request, HttpContext http, OtpStore otp, ISmsSender sms, SmsBudget budget, RateLimiter limiter, TimeProvider clock,
        CancellationToken ct)
    {
        var mobile = MobileNumber.Normalize(request.Mobile)!;
        if (await limiter.CheckAsync(http, limiter.ForMobile("RequestOtp", mobile)) is { } limited)
            // The limiter's refusal, the same document typed by its status: 429, or 503 when it fails closed without Redis.
            return limited.StatusCode == StatusCodes.Status429TooManyRequests
                ? new TooManyRequestsProblem(limited.ProblemDetails)
                : new ServiceUnavailableProblem(limited.ProblemDetails);

        switch (await otp.IssueAsync(mobile))
        {
            case OtpStore.Refused refused:
                var seconds = (int)Math.Ceiling(refused.RetryAfter.TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Problems.TooManyRequests("Too many codes",
                    refused.Reason == "cooldown"
                        ? $"A code was sent moments ago; a new one can be requested in {seconds} s."
                        : $"The hourly limit of codes for this mobile is reached; the last code sent stays valid until then, or try again in {seconds} s.",
                    new Dictionary<string, object?> { ["retryAfter"] = seconds });
            case OtpStore.Issued issued:
                if (!issued.IsTestMobile)
                {
                    if (await budget.TryTakeAsync() is { } wait)
                    {
                        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                        return Problems.ServiceUnavailable("SMS not sent",
                            "Too many codes are being sent right now; try again in a minute.");
                    }
                    try { await sms.SendOtpAsync(mobile, issued.Code, issued.ValidFor, ct); }
                    catch (SmsDeliveryException)
                    {
                        return Problems.ServiceUnavailable("SMS not sent",
                            "The code could not be sent by SMS; try again shortly.");
                    }
                }
                return TypedResults.Accepted((string?)null,
                    new Response(mobile, clock.GetUtcNow() + issued.ValidFor, (int)Math.Ceiling(issued.ResendAfter.TotalSeconds)));
            default:
                throw new InvalidOperationException("Unknown OTP outcome.");
        }
    }
}
