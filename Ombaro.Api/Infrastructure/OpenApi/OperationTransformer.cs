using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary>
/// What every operation shares, derived from the endpoint's own metadata rather than written per route:
/// its security requirement (bearer, or explicitly none), the roles it needs, camelCase query parameters,
/// and the error answers the platform itself gives — 400 (bad input), 401/403 (authorization), 404 (unknown
/// path id), 415 (a body that is not JSON), 429 (rate limits, on /api routes), 503 (Redis or PostgreSQL away) — each a shared problem response
/// (<see cref="ProblemResponses"/>). Route-specific errors (409 ...) are declared by the typed problem results of the handler's
/// signature (<see cref="Http.Problems"/>), or on the route with <c>ProducesProblem</c>.
/// </summary>
public sealed class OperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var authorized = !anonymous && metadata.OfType<IAuthorizeData>().Any();
        var roles = Roles(metadata);

        operation.Security = authorized
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.BearerScheme, document)] = [] }]
            : [new OpenApiSecurityRequirement()];
        if (authorized && roles.Count > 0)
            operation.Description = Append(operation.Description, $"Roles: {string.Join(", ", roles)}.");
        else if (!authorized)
            operation.Description = Append(operation.Description, "No sign-in needed.");

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name)
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);

        operation.Responses ??= new OpenApiResponses();
        var path = "/" + (description.RelativePath ?? "");
        var hasInput = operation.RequestBody is not null || (operation.Parameters?.Count ?? 0) > 0;
        if (hasInput) Use(operation, document, ProblemResponses.BadRequest);
        if (authorized) Use(operation, document, ProblemResponses.Unauthorized);
        if (authorized && roles.Count > 0) Use(operation, document, ProblemResponses.Forbidden);
        if (path.Contains('{')) Use(operation, document, ProblemResponses.NotFound);
        if (operation.RequestBody is not null) Use(operation, document, ProblemResponses.UnsupportedMediaType);
        if (path.StartsWith("/api/", StringComparison.Ordinal)) Use(operation, document, ProblemResponses.TooManyRequests);
        Use(operation, document, ProblemResponses.ServiceUnavailable);

        // Error answers the route declares itself (TypedResults.NotFound, ConflictProblem, ProducesProblem(409) ...) point at the shared ones too.
        foreach (var status in operation.Responses.Keys.ToList())
            if (ProblemResponses.ForStatus(status) is { } shared) Use(operation, document, shared);
        return Task.CompletedTask;
    }

    static void Use(OpenApiOperation operation, OpenApiDocument document, ProblemResponses.Shared response) =>
        operation.Responses![response.Status] = new OpenApiResponseReference(response.Id, document);

    static List<string> Roles(IList<object> metadata)
    {
        var roles = metadata.OfType<IAuthorizeData>()
            .SelectMany(a => (a.Roles?.Split(',') ?? []).Append(a.Policy ?? ""))
            .Where(Auth.Roles.IsValid)
            .Concat(metadata.OfType<AuthorizationPolicy>()
                .SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>())
                .SelectMany(r => r.AllowedRoles));
        return roles.Distinct().ToList();
    }

    static string Append(string? text, string sentence) => string.IsNullOrEmpty(text) ? sentence : text + "\n\n" + sentence;
}
