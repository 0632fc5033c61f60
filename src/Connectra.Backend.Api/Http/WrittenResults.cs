using Connectra.Backend.Application.Writing;
using Microsoft.AspNetCore.Mvc;

namespace Connectra.Backend.Api.Http;

/// <summary>How every write route answers: the stored record with its ETag; 201 and a Location for a new one.</summary>
internal static class WrittenResults
{
    public static ActionResult<T> Answer<T>(ControllerBase controller, Written<T> written, string location)
    {
        controller.Response.Headers.ETag = ETags.Of(written.Version);
        return written.Created ? controller.Created(location, written.Record) : controller.Ok(written.Record);
    }
}
