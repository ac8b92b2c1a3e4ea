namespace Ombaro.Api.Features.Bookings;

/// <summary>A booking as every route of the area shows it.</summary>
public sealed record BookingDto(
    Guid Id, Guid CustomerId, Guid VendorId, Guid ServiceId, Guid? TherapistId, string Status,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Address, string? Notes, decimal Price, string Currency,
    string? CancelReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt);
