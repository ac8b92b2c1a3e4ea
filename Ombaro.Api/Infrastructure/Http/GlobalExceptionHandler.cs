using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// Unexpected failures, handled once. Bad requests the framework detects are 400; Redis or PostgreSQL
/// being away is 503 (the caller may retry); anything else is 500 without internals outside Development.
/// </summary>
public sealed partial class GlobalExceptionHandler(IProblemDetailsService problems, IHostEnvironment env, ILogger<GlobalExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = Classify(exception);
        if (status >= 500) LogFailure(exception, status, http.Request.Method, http.Request.Path);
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        http.Response.StatusCode = status;
        var problem = JsonError(exception) is { } json
            ? new HttpValidationProblemDetails(JsonInput.Errors(json)) { Status = status, Title = "One or more validation errors occurred.", Detail = detail }
            : new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (env.IsDevelopment() && status == 500) problem.Extensions["exception"] = exception.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    internal static (int Status, string Title, string? Detail) Classify(Exception e) => e switch
    {
        BadHttpRequestException bad => (bad.StatusCode, "Bad request", BadRequestDetail(bad)),
        JsonException => (400, "Bad request", "The request body is not JSON of the shape this endpoint takes; see errors."),
        RedisException or RedisTimeoutException => (503, "Service temporarily unavailable", "A backing store (Redis) is not reachable; try again shortly."),
        NpgsqlException { IsTransient: true } or TimeoutException =>
            (503, "Service temporarily unavailable", "A backing store (PostgreSQL) is not reachable; try again shortly."),
        OperationCanceledException => (499, "Client closed request", null),
        _ => (500, "An unexpected error occurred", null),
    };

    static JsonException? JsonError(Exception e) => e as JsonException ?? (e as BadHttpRequestException)?.InnerException as JsonException;

    // The framework's messages name the parameter and what was wrong with it, never server internals.
    static string BadRequestDetail(BadHttpRequestException e) =>
        e.InnerException is JsonException ? "The request body is not JSON of the shape this endpoint takes; see errors." : e.Message;

    [LoggerMessage(LogLevel.Error, "Request {Method} {Path} failed with {Status}")]
    partial void LogFailure(Exception exception, int status, string method, string path);
}
