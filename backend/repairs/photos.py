"""Photos of a ticket: type by content (magic bytes), size and count limits, storage."""

import uuid
from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import User
from backend.repairs.access import limited_view, may_add_photo
from backend.repairs.config import RepairsSettings
from backend.repairs.exceptions import (
    PhotoNotFound,
    PhotoTooLarge,
    PhotoUploadForbidden,
    RepairNotOpen,
    TooManyPhotos,
    UnsupportedPhotoType,
)
from backend.repairs.models import FINAL_STATUSES, RepairPhoto, RepairTicket
from backend.repairs.schemas import PhotoPublic
from backend.repairs.service import load_ticket
from backend.repairs.storage import PhotoStorage
from backend.repairs.views import photo_url

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
# ISO-BMFF major brands of HEIF/HEIC stills (not AVIF, not video).
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def sniff_image_type(data: bytes) -> str | None:
    """The image type the bytes really are (whatever the client declared), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "image/heic"
    return None


async def _photo_count(session: AsyncSession, ticket_id: int) -> int:
    query = select(func.count()).select_from(RepairPhoto).where(RepairPhoto.ticket_id == ticket_id)
    return (await session.exec(query)).one()


async def _check_may_add(
    session: AsyncSession, settings: RepairsSettings, actor: User, ticket: RepairTicket
) -> None:
    if not may_add_photo(actor, ticket):
        raise PhotoUploadForbidden()
    if ticket.status in FINAL_STATUSES:
        raise RepairNotOpen()
    if await _photo_count(session, ticket.id) >= settings.max_photos_per_ticket:
        raise TooManyPhotos(
            f"Ticket #{ticket.id} already has {settings.max_photos_per_ticket} photos. "
            f"报修单 #{ticket.id} 已有 {settings.max_photos_per_ticket} 张照片。"
        )


async def add_photo(
    *,
    session: AsyncSession,
    storage: PhotoStorage,
    settings: RepairsSettings,
    actor: User,
    ticket_id: int,
    data: bytes,
    now: datetime,
) -> RepairPhoto:
    """Check, store the bytes, then record the photo (adds and flushes; the caller commits,
    and deletes ``photo.storage_key`` from storage if that commit fails).

    The bytes are written outside any transaction (storage may be remote), then the
    checks run again under the ticket's lock, so concurrent uploads cannot pass the limit.
    If recording fails after the bytes were stored, they are deleted again.
    """
    loaded = await load_ticket(session=session, viewer=actor, ticket_id=ticket_id)
    await _check_may_add(session, settings, actor, loaded.ticket)
    if len(data) > settings.max_photo_bytes:
        raise PhotoTooLarge(
            f"A photo may be at most {settings.max_photo_bytes} bytes. "
            f"单张照片不能超过 {settings.max_photo_bytes} 字节。"
        )
    content_type = sniff_image_type(data)
    if content_type is None:
        raise UnsupportedPhotoType()
    await session.commit()  # end the read transaction before the (possibly remote) write
    key = f"repairs/{ticket_id}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"
    await storage.save(key, data)
    try:
        loaded = await load_ticket(
            session=session, viewer=actor, ticket_id=ticket_id, for_update=True
        )
        await _check_may_add(session, settings, actor, loaded.ticket)
        photo = RepairPhoto(
            ticket_id=ticket_id,
            uploader_id=actor.id,
            storage_key=key,
            content_type=content_type,
            size_bytes=len(data),
            created_at=now,
        )
        session.add(photo)
        await session.flush()
    except BaseException:
        await storage.delete(key)
        raise
    return photo


def photo_public(photo: RepairPhoto) -> PhotoPublic:
    return PhotoPublic(
        id=photo.id, url=photo_url(photo.ticket_id, photo.id), content_type=photo.content_type
    )


async def get_photo(
    *, session: AsyncSession, viewer: User, ticket_id: int, photo_id: int
) -> RepairPhoto:
    """A photo of a ticket ``viewer`` may see in full (not a follower's view)."""
    loaded = await load_ticket(session=session, viewer=viewer, ticket_id=ticket_id)
    if limited_view(viewer, loaded.ticket):
        raise PhotoNotFound()
    photo = (
        await session.exec(
            select(RepairPhoto).where(
                col(RepairPhoto.id) == photo_id, col(RepairPhoto.ticket_id) == ticket_id
            )
        )
    ).first()
    if photo is None:
        raise PhotoNotFound()
    return photo
