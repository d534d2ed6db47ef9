"""Photos: type by content, size and count limits, storage on disk, streaming to viewers."""

from pathlib import Path

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.repairs.models import RepairPhoto
from backend.repairs.photos import sniff_image_type
from tests.backend.repairs.conftest import HEIC, JPEG, PNG, WEBP, Api, TicketFactory

MiB = 1024 * 1024


def files(data: bytes, declared: str = "image/jpeg", name: str = "photo.jpg") -> dict:
    return {"file": (name, data, declared)}


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("data", "declared", "sniffed"),
    [
        (JPEG, "image/jpeg", "image/jpeg"),
        (PNG, "image/png", "image/png"),
        (WEBP, "image/webp", "image/webp"),
        (HEIC, "image/heic", "image/heic"),
        (PNG, "application/octet-stream", "image/png"),  # the content decides
        (JPEG, "image/png", "image/jpeg"),
    ],
)
async def test_upload_and_read_back(
    api: Api,
    ticket_in: TicketFactory,
    photo_dir: Path,
    data: bytes,
    declared: str,
    sniffed: str,
) -> None:
    ticket = await ticket_in()
    response = await api("reporter", "POST", f"/{ticket['id']}/photos", files=files(data, declared))
    assert response.status_code == 201, response.text
    photo = response.json()
    assert photo["content_type"] == sniffed
    assert photo["url"] == f"/api/v1/repairs/{ticket['id']}/photos/{photo['id']}"
    [path] = stored_files(photo_dir)
    assert path.read_bytes() == data
    read = await api("tech", "GET", photo["url"].removeprefix("/api/v1/repairs"))
    assert read.status_code == 200
    assert read.content == data
    assert read.headers["content-type"] == sniffed
    assert read.headers["x-content-type-options"] == "nosniff"
    detail = (await api("reporter", "GET", f"/{ticket['id']}")).json()
    assert detail["photos"] == [photo]


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + bytes(100),
        b"%PDF-1.7" + bytes(100),
        b"\x00\x00\x00\x18ftypavif" + bytes(100),  # AVIF is not HEIC
        b"",
    ],
)
async def test_declared_image_that_is_not_one_is_415(
    api: Api, ticket_in: TicketFactory, photo_dir: Path, session: AsyncSession, data: bytes
) -> None:
    ticket = await ticket_in()
    response = await api("reporter", "POST", f"/{ticket['id']}/photos", files=files(data))
    assert response.status_code == 415
    assert response.json()["error"] == "UnsupportedPhotoType"
    assert stored_files(photo_dir) == []
    assert (await session.exec(select(RepairPhoto))).all() == []


async def test_size_limit(api: Api, ticket_in: TicketFactory, photo_dir: Path) -> None:
    ticket = await ticket_in()
    path = f"/{ticket['id']}/photos"
    at_limit = JPEG + bytes(5 * MiB - len(JPEG))
    assert (await api("reporter", "POST", path, files=files(at_limit))).status_code == 201
    too_big = await api("reporter", "POST", path, files=files(at_limit + b"x"))
    assert too_big.status_code == 413
    assert too_big.json()["error"] == "PhotoTooLarge"
    whole_body = await api("reporter", "POST", path, files=files(JPEG + bytes(7 * MiB)))
    assert whole_body.status_code == 413
    assert whole_body.json()["error"] == "PayloadTooLarge"
    assert len(stored_files(photo_dir)) == 1


async def test_at_most_six_photos(api: Api, ticket_in: TicketFactory, photo_dir: Path) -> None:
    ticket = await ticket_in()
    path = f"/{ticket['id']}/photos"
    for _ in range(6):
        assert (await api("reporter", "POST", path, files=files(JPEG))).status_code == 201
    seventh = await api("tech", "POST", path, files=files(JPEG))
    assert seventh.status_code == 409
    assert seventh.json()["error"] == "TooManyPhotos"
    assert len(stored_files(photo_dir)) == 6


@pytest.mark.parametrize("status", ["closed", "cancelled"])
async def test_no_photos_on_finished_tickets(
    api: Api, ticket_in: TicketFactory, photo_dir: Path, status: str
) -> None:
    ticket = await ticket_in(status)
    response = await api("reporter", "POST", f"/{ticket['id']}/photos", files=files(JPEG))
    assert response.status_code == 409
    assert response.json()["error"] == "RepairNotOpen"
    assert stored_files(photo_dir) == []


async def test_photo_ids_belong_to_their_ticket(api: Api, ticket_in: TicketFactory) -> None:
    first = await ticket_in()
    second = await ticket_in()
    photo = (await api("reporter", "POST", f"/{first['id']}/photos", files=files(PNG))).json()
    crossed = await api("reporter", "GET", f"/{second['id']}/photos/{photo['id']}")
    assert crossed.status_code == 404
    assert crossed.json()["error"] == "PhotoNotFound"
    assert (await api("reporter", "GET", f"/{first['id']}/photos/999999")).status_code == 404


async def test_bytes_missing_from_storage_is_404(
    api: Api, ticket_in: TicketFactory, photo_dir: Path
) -> None:
    ticket = await ticket_in()
    photo = (await api("reporter", "POST", f"/{ticket['id']}/photos", files=files(PNG))).json()
    for path in stored_files(photo_dir):
        path.unlink()
    response = await api("reporter", "GET", f"/{ticket['id']}/photos/{photo['id']}")
    assert response.status_code == 404


async def test_multipart_without_a_file_is_422(api: Api, ticket_in: TicketFactory) -> None:
    ticket = await ticket_in()
    response = await api("reporter", "POST", f"/{ticket['id']}/photos", data={"x": "y"})
    assert response.status_code == 422


def test_sniffer_needs_the_whole_signature() -> None:
    assert sniff_image_type(b"\xff\xd8") is None
    assert sniff_image_type(b"\x89PNG") is None
    assert sniff_image_type(b"RIFF\x00\x00\x00\x00WAVE") is None
    assert sniff_image_type(b"\x00\x00\x00\x18ftypmif1") == "image/heic"
