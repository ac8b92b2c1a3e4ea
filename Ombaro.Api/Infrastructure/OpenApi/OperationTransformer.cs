using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary>
/// What every operation shares, derived from the endpoint's own metadata rather than written per route:
/// its security requirement (bearer, or explicitly none), the roles it needs, camelCase query parameters,
/// and the error answers the platform itself gives — 400 (bad input), 401/403 (authorization), 404 (unknown
/// path id), 429 (rate limits, on /api routes), 503 (Redis or PostgreSQL away) — each a problem document.
/// Route-specific errors (409 ...) are declared on the route with <c>ProducesProblem</c>.
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
        if (hasInput) Problem(operation, document, 400, "The request is malformed or fails validation (`errors` per field).", ProblemSchemas.ValidationProblem);
        if (authorized) Problem(operation, document, 401, "No bearer token, or the session has ended.");
        if (authorized && roles.Count > 0) Problem(operation, document, 403, "The signed-in role may not use this operation, or not on this resource.");
        if (path.Contains('{') || operation.Responses.ContainsKey("404")) Problem(operation, document, 404, "Not found, or not visible to the caller.");
        if (path.StartsWith("/api/", StringComparison.Ordinal)) TooManyRequests(operation, document);
        Problem(operation, document, 503, "Redis or PostgreSQL is not reachable; retry after `Retry-After` seconds.", headers: RetryAfterOnly());

        foreach (var (status, response) in operation.Responses)
            if (status.StartsWith('4') || status.StartsWith('5')) WithProblemBody(response, document);
        return Task.CompletedTask;
    }

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

    static void Problem(OpenApiOperation operation, OpenApiDocument document, int status, string description,
        string schema = ProblemSchemas.Problem, Dictionary<string, IOpenApiHeader>? headers = null)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse known)
        {
            known.Description = description;
            if (headers is not null) known.Headers = headers;
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Headers = headers,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemMedia] = new() { Schema = new OpenApiSchemaReference(schema, document) } },
        };
    }

    /// <summary>A response declared without a body (<c>NotFound</c>, <c>Forbid</c>) still carries a problem document.</summary>
    static void WithProblemBody(IOpenApiResponse response, OpenApiDocument document)
    {
        if (response is not OpenApiResponse r || r.Content is { Count: > 0 }) return;
        r.Content = new Dictionary<string, OpenApiMediaType> { [ProblemMedia] = new() { Schema = new OpenApiSchemaReference(ProblemSchemas.Problem, document) } };
    }

    const string ProblemMedia = "application/problem+json";

    static void TooManyRequests(OpenApiOperation operation, OpenApiDocument document)
    {
        var headers = RetryAfterOnly();
        headers["RateLimit"] = Header("The remaining quota and seconds to reset of the policy that refused, e.g. `\"default\";r=0;t=42`.");
        headers["RateLimit-Policy"] = Header("The policies that apply, e.g. `\"default\";q=300;w=60`.");
        Problem(operation, document, 429, "A rate limit was reached; retry after `Retry-After` seconds.", headers: headers);
    }

    static Dictionary<string, IOpenApiHeader> RetryAfterOnly() => new()
    {
        ["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
        },
    };

    static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
}
