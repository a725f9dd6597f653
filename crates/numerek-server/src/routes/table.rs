//! Every route of the server in one list, [`table`]: the router ([`crate::app`]), the OpenAPI
//! document ([`crate::openapi`]) and the role tests are all made from it, so a route cannot be
//! added to one and forgotten in another.

use super::{
    admin, appointments, backup, counters, events, feedback, kiosk, open_data, public, reports,
};
use crate::auth::Access;
use crate::state::AppState;
use numerek_store::Role;
use std::sync::Arc;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::schema::Schema;
use utoipa_axum::router::UtoipaMethodRouter;
use utoipa_axum::routes;

/// One route: its method, path and handler (from the handler's `#[utoipa::path]`, which also
/// documents it) and who may use it.
pub struct Route {
    /// The method.
    pub method: HttpMethod,
    /// The path pattern, as axum and OpenAPI write it (`/api/v1/tickets/{id}`).
    pub path: String,
    /// Who may use it: enforced by [`crate::auth::authorize`], stated in the document.
    pub access: Access,
    /// Its documentation, as the handler's attribute gives it.
    pub operation: Operation,
    /// The schemas its documentation refers to.
    pub schemas: Vec<(String, RefOr<Schema>)>,
    /// The handler.
    pub handler: axum::routing::MethodRouter<Arc<AppState>>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("method", &crate::openapi::http_method(&self.method))
            .field("path", &self.path)
            .field("access", &self.access)
            .field("operation", &self.operation_id())
            .finish_non_exhaustive()
    }
}

impl Route {
    /// The route of one handler, `routes!(handler)`, open to `access`.
    fn new(access: Access, (schemas, paths, handler): UtoipaMethodRouter<Arc<AppState>>) -> Self {
        let mut paths = paths.paths.into_iter();
        let (path, mut item) = paths.next().expect("a handler documents its path");
        assert!(paths.next().is_none(), "{path}: one path per handler");
        let mut operations = [
            (HttpMethod::Get, item.get.take()),
            (HttpMethod::Post, item.post.take()),
            (HttpMethod::Delete, item.delete.take()),
            (HttpMethod::Options, item.options.take()),
            (HttpMethod::Put, item.put.take()),
            (HttpMethod::Patch, item.patch.take()),
            (HttpMethod::Head, item.head.take()),
            (HttpMethod::Trace, item.trace.take()),
        ]
        .into_iter()
        .filter_map(|(method, operation)| operation.map(|operation| (method, operation)));
        let (method, operation) = operations.next().expect("a handler documents its method");
        assert!(
            operations.next().is_none(),
            "{path}: one method per handler"
        );
        Self {
            method,
            path,
            access,
            operation,
            schemas,
            handler,
        }
    }

    /// The operation's id (`issueTicket`).
    pub fn operation_id(&self) -> &str {
        self.operation.operation_id.as_deref().unwrap_or_default()
    }
}

/// Every route of the server, with who may use it: the one list the router
/// ([`crate::app`]), the OpenAPI document ([`crate::openapi`]) and the role tests are made from.
/// Each handler's `#[utoipa::path]` names its method and path.
pub fn table() -> Vec<Route> {
    use Access::{Metrics, Public, Token};
    let route = Route::new;
    vec![
        route(Public, routes!(public::healthz)),
        route(Metrics, routes!(public::metrics)),
        route(Public, routes!(crate::pages::index)),
        route(Public, routes!(crate::pages::mobile_ticket)),
        route(Public, routes!(crate::pages::ticket_qr)),
        route(Public, routes!(crate::pages::booking_page)),
        route(Public, routes!(crate::pages::booking_qr)),
        route(Public, routes!(crate::openapi::document)),
        route(Public, routes!(public::office)),
        route(Public, routes!(public::status)),
        route(Public, routes!(events::feed)),
        route(Token(Role::Kiosk), routes!(kiosk::issue)),
        route(Public, routes!(public::ticket)),
        route(Public, routes!(public::cancel)),
        route(Public, routes!(feedback::by_ticket)),
        route(Public, routes!(appointments::slots)),
        route(Public, routes!(appointments::book)),
        route(Token(Role::Clerk), routes!(appointments::list)),
        route(Public, routes!(appointments::read)),
        route(Public, routes!(appointments::cancel)),
        route(Public, routes!(appointments::calendar)),
        route(Token(Role::Kiosk), routes!(appointments::check_in)),
        route(Token(Role::Clerk), routes!(counters::show)),
        route(Token(Role::Clerk), routes!(counters::open)),
        route(Token(Role::Clerk), routes!(counters::pause)),
        route(Token(Role::Clerk), routes!(counters::close)),
        route(Token(Role::Clerk), routes!(counters::call_next)),
        route(Token(Role::Clerk), routes!(counters::call)),
        route(Token(Role::Clerk), routes!(counters::recall)),
        route(Token(Role::Clerk), routes!(counters::finish)),
        route(Token(Role::Clerk), routes!(counters::no_show)),
        route(Token(Role::Clerk), routes!(counters::transfer)),
        route(Token(Role::Clerk), routes!(counters::profile)),
        route(Token(Role::Kiosk), routes!(feedback::at_counter)),
        route(Token(Role::Manager), routes!(reports::summary)),
        route(Token(Role::Manager), routes!(reports::tickets)),
        route(Token(Role::Manager), routes!(reports::staffing)),
        route(Token(Role::Admin), routes!(admin::list)),
        route(Token(Role::Admin), routes!(admin::create)),
        route(Token(Role::Admin), routes!(admin::revoke)),
        route(Token(Role::Admin), routes!(backup::backup)),
        route(Public, routes!(open_data::warsaw)),
        route(Public, routes!(open_data::preflight)),
    ]
}
