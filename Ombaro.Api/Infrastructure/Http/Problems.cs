using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// Typed problem answers for handlers whose set of answers is known: the signature says which 400/403/404/409/429/503 a
/// route can give, and the OpenAPI document with it. Not <c>NotFound&lt;ProblemDetails&gt;</c>: that writes
/// <c>application/json</c> without the <c>traceId</c>; these are written by <see cref="ProblemHttpResult"/> like every
/// other problem document (RFC 9457, <c>application/problem+json</c>, <c>type</c> from the status, through
/// <see cref="IProblemDetailsService"/>), with the extensions given.
/// </summary>
public static class Problems
{
    public static BadRequestProblem BadRequest(string title, string detail, Dictionary<string, object?>? extensions = null) =>
        new(Details(StatusCodes.Status400BadRequest, title, detail, extensions));
    public static ForbiddenProblem Forbidden(string title, string detail) => new(Details(StatusCodes.Status403Forbidden, title, detail, null));
    public static NotFoundProblem NotFound(string title, string detail) => new(Details(StatusCodes.Status404NotFound, title, detail, null));
    public static ConflictProblem Conflict(string title, string detail, Dictionary<string, object?>? extensions = null) =>
        new(Details(StatusCodes.Status409Conflict, title, detail, extensions));
    public static TooManyRequestsProblem TooManyRequests(string title, string detail, Dictionary<string, object?>? extensions = null) =>
        new(Details(StatusCodes.Status429TooManyRequests, title, detail, extensions));
    public static ServiceUnavailableProblem ServiceUnavailable(string title, string detail, Dictionary<string, object?>? extensions = null) =>
        new(Details(StatusCodes.Status503ServiceUnavailable, title, detail, extensions));

    static ProblemDetails Details(int status, string title, string detail, Dictionary<string, object?>? extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? []) problem.Extensions[key] = value;
        return problem;
    }
}

public abstract class ProblemResult(ProblemDetails value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>
{
    public ProblemDetails Value { get; } = value;
    object? IValueHttpResult.Value => Value;
    public int? StatusCode => Value.Status;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Value).ExecuteAsync(httpContext);

    protected static void Produces(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>400 as a problem document (a refusal that is not a field's validation failure).</summary>
public sealed class BadRequestProblem(ProblemDetails value) : ProblemResult(value), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status400BadRequest);
}

/// <summary>403 as a problem document.</summary>
public sealed class ForbiddenProblem(ProblemDetails value) : ProblemResult(value), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status403Forbidden);
}

/// <summary>404 as a problem document.</summary>
public sealed class NotFoundProblem(ProblemDetails value) : ProblemResult(value), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status404NotFound);
}

/// <summary>409 as a problem document.</summary>
public sealed class ConflictProblem(ProblemDetails value) : ProblemResult(value), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status409Conflict);
}

/// <summary>429 as a problem document; the handler sets <c>Retry-After</c>.</summary>
public sealed class TooManyRequestsProblem(ProblemDetails value) : ProblemResult(value), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status429TooManyRequests);
}

/// <summary>503 as a problem document.</summary>
public sealed class ServiceUnavailableProblem(ProblemDetails value) : ProblemResult(value), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status503ServiceUnavailable);
}
