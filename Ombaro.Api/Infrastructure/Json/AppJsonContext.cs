using System.Text.Json;
using System.Text.Json.Serialization;
using Ombaro.Api.Features.Bookings;
using Ombaro.Api.Features.Platform;

namespace Ombaro.Api.Infrastructure.Json;

/// <summary>Source-generated JSON for the types the API writes to HTTP and Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Health.Response))]
[JsonSerializable(typeof(BookingDto))]
[JsonSerializable(typeof(BookingRecord))]
[JsonSerializable(typeof(BookingPage))]
[JsonSerializable(typeof(GetAvailability.Response), TypeInfoPropertyName = "GetAvailabilityResponse")]
[JsonSerializable(typeof(PlaceHold.Request), TypeInfoPropertyName = "PlaceHoldRequest")]
[JsonSerializable(typeof(PlaceHold.Response), TypeInfoPropertyName = "PlaceHoldResponse")]
[JsonSerializable(typeof(CreateBooking.Request), TypeInfoPropertyName = "CreateBookingRequest")]
[JsonSerializable(typeof(AssignBooking.Request), TypeInfoPropertyName = "AssignBookingRequest")]
[JsonSerializable(typeof(CancelBooking.Request), TypeInfoPropertyName = "CancelBookingRequest")]
[JsonSerializable(typeof(Ombaro.Api.Features.Ops.GetRedisOps.Response), TypeInfoPropertyName = "RedisOpsResponse")]
public sealed partial class AppJsonContext : JsonSerializerContext;
