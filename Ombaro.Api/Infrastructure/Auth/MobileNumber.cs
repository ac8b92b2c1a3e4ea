using PhoneNumbers;

namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>Mobile numbers in E.164 (<c>+919876543210</c>); national numbers are read as Indian.</summary>
public static class MobileNumber
{
    public const string DefaultRegion = "IN";
    public const string Invalid = "Not a valid mobile number; use +91XXXXXXXXXX or a 10-digit Indian mobile.";
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form of a valid number (<c>09876543210</c>, <c>+91 98765 43210</c>...), or null.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32) return null;
        try
        {
            var number = Util.Parse(input, DefaultRegion);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static bool IsValid(string? input) => Normalize(input) is not null;
}
