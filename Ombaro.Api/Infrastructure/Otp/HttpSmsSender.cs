using System.Net.Http.Json;

namespace Ombaro.Api.Infrastructure.Otp;

/// <summary>A generic HTTP SMS gateway: one JSON POST per message.</summary>
public sealed class HttpSmsSender(IHttpClientFactory clients, IOptions<SmsOptions> options) : ISmsSender
{
    public const string ClientName = "sms-gateway";

    public async Task SendOtpAsync(string mobile, string code, TimeSpan validFor, CancellationToken ct)
    {
        var gateway = options.Value.Http;
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url)
        {
            Content = JsonContent.Create(new { to = mobile, message = $"{code} is your Ombaro login code. It expires in {(int)validFor.TotalMinutes} minutes." }),
        };
        if (!string.IsNullOrEmpty(gateway.ApiKey)) request.Headers.Authorization = new("Bearer", gateway.ApiKey);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct).WaitAsync(gateway.Timeout, ct);
            if (!response.IsSuccessStatusCode) throw new SmsDeliveryException($"The SMS gateway answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            throw new SmsDeliveryException("The SMS gateway is not reachable.", e);
        }
    }
}
