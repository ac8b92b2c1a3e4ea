using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// Typed problem answers for handlers whose set of answers is known: the signature says which 404/409 a route can give,
/// and the OpenAPI document with it. Not <c>NotFound&lt;ProblemDetails&gt;</c>: that writes <c>application/json</c> without
/// the <c>traceId</c>; these are written by <see cref="ProblemHttpResult"/> like every other problem document
/// (RFC 9457, <c>application/problem+json</c>, through <see cref="IProblemDetailsService"/>).
/// </summary>
public static class Problems
{
    public static NotFoundProblem NotFound(string title, string detail) => new(title, detail);
    public static ConflictProblem Conflict(string title, string detail) => new(title, detail);
}

public abstract class ProblemResult(int status, string title, string detail) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>
{
    public ProblemDetails Value { get; } = new() { Status = status, Title = title, Detail = detail };
    object? IValueHttpResult.Value => Value;
    public int? StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Value).ExecuteAsync(httpContext);

    protected static void Produces(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>404 as a problem document.</summary>
public sealed class NotFoundProblem(string title, string detail) : ProblemResult(StatusCodes.Status404NotFound, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status404NotFound);
}

/// <summary>409 as a problem document.</summary>
public sealed class ConflictProblem(string title, string detail) : ProblemResult(StatusCodes.Status409Conflict, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status409Conflict);
}
