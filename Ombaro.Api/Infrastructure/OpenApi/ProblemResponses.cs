namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary>
/// The error answers, each once in <c>components/responses</c>: an RFC 9457 problem document
/// (<c>application/problem+json</c>), with <c>Retry-After</c> and the RateLimit headers where the API sends them.
/// </summary>
public static class ProblemResponses
{
    public sealed record Shared(string Id, string Status, string Description, string Schema = ProblemSchemas.Problem,
        Func<Dictionary<string, IOpenApiHeader>>? Headers = null);

    public static readonly Shared BadRequest = new("BadRequest", "400",
        "The request is malformed or fails validation (`errors` holds the messages per field).", ProblemSchemas.ValidationProblem);
    public static readonly Shared Unauthorized = new("Unauthorized", "401", "No bearer token, or its session has ended.");
    public static readonly Shared Forbidden = new("Forbidden", "403", "The caller's role or account may not do this, or not on this resource.");
    public static readonly Shared NotFound = new("NotFound", "404", "Not found, or not visible to the caller.");
    public static readonly Shared Conflict = new("Conflict", "409",
        "The resource's state does not allow it (taken slot, illegal status step, duplicate ...); `title` and `detail` say which.");
    public static readonly Shared UnsupportedMediaType = new("UnsupportedMediaType", "415", "The body is not `application/json`.");
    public static readonly Shared TooManyRequests = new("TooManyRequests", "429", "A rate limit was reached; retry after `Retry-After` seconds.",
        Headers: () => new()
        {
            ["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.", Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
            },
            ["RateLimit"] = Text("Remaining quota and seconds to reset of the policy that refused, e.g. `\"default\";r=0;t=42` (absent when a route's own limit refused)."),
            ["RateLimit-Policy"] = Text("The policies that apply, e.g. `\"default\";q=300;w=60`."),
        });
    public static readonly Shared ServiceUnavailable = new("ServiceUnavailable", "503",
        "A backing service (Redis, PostgreSQL, the SMS gateway) is not reachable; retry later (after `Retry-After` seconds when sent).",
        Headers: () => new() { ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" } } });

    static readonly Shared[] All = [BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnsupportedMediaType, TooManyRequests, ServiceUnavailable];

    public static Shared? ForStatus(string status) => All.FirstOrDefault(r => r.Status == status);

    /// <summary>Adds every shared response to the document's components.</summary>
    public static void AddTo(OpenApiDocument document)
    {
        document.Components!.Responses ??= new Dictionary<string, IOpenApiResponse>();
        foreach (var r in All)
            document.Components.Responses[r.Id] = new OpenApiResponse
            {
                Description = r.Description,
                Headers = r.Headers?.Invoke(),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(r.Schema, document) },
                },
            };
    }

    static OpenApiHeader Text(string description) => new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
}
