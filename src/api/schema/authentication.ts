// Schemas of the authentication.k8s.io/v1 review kinds: SelfSubjectReview (`kubectl auth whoami`) and
// TokenReview. They are only ever created, never stored; the schemas serve OpenAPI (kubectl's client-side
// validation and `explain`).

import { bool, definition, list, mapOf, ref, str } from "./builders.js";
import { objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

const GROUP = "authentication.k8s.io";
const strings = (description: string): Schema => list(str(), description, { listType: "atomic" });

export const UserInfo: Schema = definition(
  "io.k8s.api.authentication.v1.UserInfo",
  "The user an authenticator found.",
  {
    username: str("The name that uniquely identifies this user among all active users."),
    uid: str("A unique value that identifies this user across time."),
    groups: strings("The groups this user is a part of."),
    extra: mapOf(
      strings("Values of one extra attribute."),
      "Any additional information the authenticator provided.",
    ),
  },
);

const SelfSubjectReviewStatus: Schema = definition(
  "io.k8s.api.authentication.v1.SelfSubjectReviewStatus",
  "What the API server knows about the user making the request.",
  { userInfo: ref(UserInfo, "The user making the request (or the one impersonated).") },
);

export const SelfSubjectReview: Schema = definition(
  "io.k8s.api.authentication.v1.SelfSubjectReview",
  "The user information the API server has about the user making the request.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    status: ref(SelfSubjectReviewStatus, "Filled in by the server with the user's attributes."),
  },
  { gvk: { group: GROUP, version: "v1", kind: "SelfSubjectReview" } },
);

const TokenReviewSpec: Schema = definition(
  "io.k8s.api.authentication.v1.TokenReviewSpec",
  "The token to authenticate, and for which audiences.",
  {
    token: str("The opaque bearer token."),
    audiences: strings(
      "Identifiers the resource server presented with the token; the API server's own when empty.",
    ),
  },
);

const TokenReviewStatus: Schema = definition(
  "io.k8s.api.authentication.v1.TokenReviewStatus",
  "The result of the token authentication.",
  {
    authenticated: bool("Whether the token is associated with a known user."),
    user: ref(UserInfo, "The user the token belongs to."),
    audiences: strings("The audiences of the token that the authenticator accepts, among those asked."),
    error: str("Why the token could not be checked."),
  },
);

export const TokenReview: Schema = definition(
  "io.k8s.api.authentication.v1.TokenReview",
  "Asks the API server to authenticate a token.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(TokenReviewSpec, "The token being authenticated."),
    status: ref(TokenReviewStatus, "Filled in by the server: whether the token can be authenticated."),
  },
  { required: ["spec"], gvk: { group: GROUP, version: "v1", kind: "TokenReview" } },
);
