using System.Text.Json;
using System.Text.Json.Serialization;
using Ombaro.Api.Features.Platform;

namespace Ombaro.Api.Infrastructure.Json;

/// <summary>Source-generated JSON for the types the API writes to HTTP and Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Health.Response))]
public sealed partial class AppJsonContext : JsonSerializerContext;
