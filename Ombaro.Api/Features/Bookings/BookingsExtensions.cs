using System.ComponentModel.DataAnnotations;
using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Api.Features.Bookings;

public sealed class BookingOptions
{
    public const string Section = "Bookings";

    /// <summary>How long a slot hold lives (its slot locks and its record) unless a booking consumes it first.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a cached page of a booking list lives; changes make older pages unreachable at once.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ListCacheTtl { get; set; } = TimeSpan.FromMinutes(2);
}

public static class BookingsExtensions
{
    /// <summary>Availability, slot holds, bookings and their lifecycle, booking caches and the dispatch worker.</summary>
    public static IServiceCollection AddBookings(this IServiceCollection services)
    {
        services.AddOptions<BookingOptions>().BindConfiguration(BookingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BookingCalendar>();
        services.AddSingleton<SlotHolds>();
        services.AddSingleton<BookingReader>();
        services.AddSingleton<BookingLists>();
        services.AddSingleton<BookingWorkflow>();
        services.AddSingleton<BookingChangePublisher>();
        services.AddSingleton<IBookingChangeListener, BookingCacheInvalidation>();
        services.AddSingleton<IBookingChangeListener, DispatchEnqueuer>();
        services.AddSingleton<DispatchWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchWorker>());
        services.AddSingleton<DispatchReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchReconciler>());
        return services;
    }

    /// <summary>The one route group of the area (its routes live under several resources of <c>/api/v1</c>).</summary>
    internal static RouteGroupBuilder MapBookingsApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/v1").WithTags("Bookings").RequireAuthorization();
}
