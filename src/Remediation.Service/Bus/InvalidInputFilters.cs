using System.Text.Json;
using MassTransit;
using Remediation.Contracts;
using Remediation.Service.Pipeline;

namespace Remediation.Service.Bus;

/// <summary>
/// Where bad input goes on the service's endpoints, instead of MassTransit's <c>_error</c> and <c>_skipped</c> queues
/// and <c>Fault&lt;T&gt;</c> events (which would declare exchanges outside the <c>remediation.</c> space): a body that
/// does not deserialize, or that the loop rejected, is parked body-untouched in the invalid queue of its kind with the
/// reason. Any other failure is not the message's fault: it goes back to its queue to be delivered again.
/// </summary>
internal sealed class ParkFaultedInput(InvalidMessages invalid, BadInput bad) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var reason = context.Exception switch
        {
            RejectedInputException rejected => rejected.Message,
            _ when IsBadInput(context.Exception) => bad.Reason(context),
            _ => null,
        };
        if (reason is null) throw context.Exception;
        await invalid.ParkAsync(bad.Queue(context), context.Body.GetBytes(), reason, context.CancellationToken);
        await next.Send(context);
    }

    private static bool IsBadInput(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is JsonException or System.Runtime.Serialization.SerializationException or RejectedInputException) return true;
        return false;
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("parkFaultedInput");
}

/// <summary>A message no consumer took (JSON <c>null</c>, an envelope of another type): parked like any bad input.</summary>
internal sealed class ParkSkippedInput(InvalidMessages invalid, BadInput bad) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        await invalid.ParkAsync(bad.Queue(context), context.Body.GetBytes(), bad.Reason(context), context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("parkSkippedInput");
}

/// <summary>Where an endpoint parks a body it cannot use, and why, in the words the wire parser uses everywhere.</summary>
internal sealed record BadInput(Func<ReceiveContext, string> Queue, Func<ReceiveContext, string> Reason)
{
    public static BadInput Of<T>(string queue) where T : class => new(_ => queue, ReasonOf<T>);

    /// <summary>A partition queue carries both kinds; the ingesting instance's header says which.</summary>
    public static readonly BadInput Routed = new(
        context => BusTopology.InvalidQueueFor(InputKind.Of(context)),
        context => InputKind.Of(context) == BusTopology.ResultInput ? ReasonOf<StepCompleted>(context) : ReasonOf<FaultDetected>(context));

    private static string ReasonOf<T>(ReceiveContext context) where T : class =>
        WireParser.TryParse<T>(context.GetBody(), out _, out var error) ? $"no consumer took it as {typeof(T).Name}" : error!;
}

/// <summary>What a message sent on to a partition is, from the header the ingesting instance sets.</summary>
internal static class InputKind
{
    public static string? Of(ReceiveContext context) =>
        context.TransportHeaders.TryGetHeader(BusTopology.InputHeader, out var value)
            ? value switch
            {
                byte[] raw => System.Text.Encoding.UTF8.GetString(raw),
                _ => value?.ToString(),
            }
            : null;
}
