"""Every domain's table models, imported once so ``SQLModel.metadata`` is complete."""

from sqlmodel import SQLModel

import backend.channels.models
import backend.chat.models
import backend.core.models
import backend.dorms.models
import backend.handoff.models
import backend.identity.models
import backend.meals.models
import backend.notify.models
import backend.repairs.models
import backend.rewards.models
import backend.surveys.models

metadata = SQLModel.metadata
