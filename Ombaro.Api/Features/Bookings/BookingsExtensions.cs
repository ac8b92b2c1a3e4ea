using Ombaro.Api.Features.Bookings.Dispatch;

namespace Ombaro.Api.Features.Bookings;

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
        services.AddSingleton<IBookingChangeListener, BookingCaches>();
        services.AddSingleton<IBookingChangeListener, DispatchEnqueuer>();
        services.AddSingleton<DispatchWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchWorker>());
        services.AddSingleton<DispatchReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchReconciler>());
        return services;
    }
}
