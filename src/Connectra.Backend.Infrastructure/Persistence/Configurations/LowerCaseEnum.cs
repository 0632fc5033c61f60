using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Connectra.Backend.Infrastructure.Persistence.Configurations;

internal static class LowerCaseEnum
{
    public static ValueConverter<TEnum, string> Converter<TEnum>() where TEnum : struct, Enum =>
        new(value => value.ToString().ToLowerInvariant(), text => Enum.Parse<TEnum>(text, ignoreCase: true));
}
