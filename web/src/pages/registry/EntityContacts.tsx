import {
  Anchor,
  Button,
  Fieldset,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconMail, IconPencil, IconPhone } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { CONTACT_KINDS, entityKey, type ContactKind, type EntityDetail } from '../../app/registry';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

type Contact = EntityDetail['contacts'][number];
interface ContactValues {
  name: string;
  title: string;
  email: string;
  phone: string;
}
type Values = Record<ContactKind, ContactValues>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{5,25}$/;
const CONTACT_FIELDS = ['name', 'title', 'email', 'phone'] as const;

/** The head of the organisation, the CISO and the round-the-clock incident contact. */
export function EntityContacts({ entity }: { entity: EntityDetail }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const byKind = new Map(entity.contacts.map((c) => [c.kind, c]));
  return (
    <Section
      id="entity-contacts"
      title={t('contacts.title')}
      description={t('contacts.hint')}
      actions={
        entity.allowedActions.includes('editContacts') ? (
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={() => setEditing(true)}
          >
            {t('contacts.edit')}
          </Button>
        ) : undefined
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {CONTACT_KINDS.map((kind) => (
          <ContactCard key={kind} kind={kind} contact={byKind.get(kind)} />
        ))}
      </SimpleGrid>
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('contacts.editTitle')} size="xl">
        {editing && <ContactsForm entity={entity} onClose={() => setEditing(false)} />}
      </Modal>
    </Section>
  );
}

function ContactCard({ kind, contact }: { kind: ContactKind; contact: Contact | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const headingId = `contact-${kind}`;
  return (
    <Paper p="sm" bg="gray.0" withBorder={false} component="article" aria-labelledby={headingId}>
      <Stack gap={4}>
        <Text size="xs" fw={700} c="dimmed" id={headingId}>
          {t(`contacts.kinds.${kind}`)}
        </Text>
        {contact ? (
          <>
            <Text fw={700} size="sm">
              {contact.name}
            </Text>
            {contact.title && <Text size="sm">{contact.title}</Text>}
            {contact.email && (
              <Group gap={6} wrap="nowrap">
                <IconMail size={14} aria-hidden style={{ flex: 'none' }} />
                <Anchor
                  href={`mailto:${contact.email}`}
                  size="sm"
                  dir="ltr"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {contact.email}
                </Anchor>
              </Group>
            )}
            {contact.phone && (
              <Group gap={6} wrap="nowrap">
                <IconPhone size={14} aria-hidden style={{ flex: 'none' }} />
                <Anchor href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`} size="sm" dir="ltr">
                  {contact.phone}
                </Anchor>
              </Group>
            )}
            <Text size="xs" c="dimmed">
              {t('contacts.updated', { when: fmt.dateTime(contact.updatedAt) })}
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('contacts.missing')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function ContactsForm({ entity, onClose }: { entity: EntityDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const initial = Object.fromEntries(
    CONTACT_KINDS.map((kind) => {
      const c = entity.contacts.find((x) => x.kind === kind);
      return [
        kind,
        { name: c?.name ?? '', title: c?.title ?? '', email: c?.email ?? '', phone: c?.phone ?? '' },
      ];
    }),
  ) as Values;
  const form = useForm<Values>({
    mode: 'uncontrolled',
    initialValues: initial,
    validate: Object.fromEntries(
      CONTACT_KINDS.map((kind) => [
        kind,
        {
          name: (v: string, all: Values) => {
            const c = all[kind];
            return !v.trim() && (c.title.trim() || c.email.trim() || c.phone.trim())
              ? t('contacts.nameRequired')
              : null;
          },
          email: (v: string) => (!v.trim() || EMAIL.test(v.trim()) ? null : t('contacts.emailInvalid')),
          phone: (v: string) => (!v.trim() || PHONE.test(v.trim()) ? null : t('contacts.phoneInvalid')),
        },
      ]),
    ),
  });
  const save = useMutation({
    mutationFn: (
      contacts: {
        kind: ContactKind;
        name: string;
        title: string | null;
        email: string | null;
        phone: string | null;
      }[],
    ) =>
      unwrap(
        api.PUT('/api/entities/{id}/contacts', { params: { path: { id: entity.id } }, body: { contacts } }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: entityKey(entity.id) });
      notifications.show({ color: 'qila', title: t('contacts.savedTitle'), message: t('contacts.saved') });
      onClose();
    },
    onError: (error, sent) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        // "contacts.1.email": the second contact sent, whichever kind it was.
        const m = /^contacts\.(\d+)\.(\w+)$/.exec(fieldOf(e.path));
        const kind = m ? sent[Number(m[1])]?.kind : undefined;
        const field = m?.[2] as (typeof CONTACT_FIELDS)[number] | undefined;
        if (kind && field && (CONTACT_FIELDS as readonly string[]).includes(field))
          form.setFieldError(`${kind}.${field}`, e.message);
      }
    },
  });
  const submit = (v: Values) => {
    const contacts = CONTACT_KINDS.filter((k) => v[k].name.trim()).map((kind) => ({
      kind,
      name: v[kind].name.trim(),
      title: v[kind].title.trim() || null,
      email: v[kind].email.trim() || null,
      phone: v[kind].phone.trim() || null,
    }));
    save.mutate(contacts);
  };
  return (
    <form noValidate onSubmit={form.onSubmit(submit)}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('contacts.editHint')}
        </Text>
        {save.isError && <ErrorAlert error={save.error} title={t('contacts.saveFailed')} />}
        {CONTACT_KINDS.map((kind, i) => (
          <Fieldset key={kind} legend={t(`contacts.kinds.${kind}`)} variant="filled">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t('contacts.name')}
                maxLength={120}
                data-autofocus={i === 0 || undefined}
                key={form.key(`${kind}.name`)}
                {...form.getInputProps(`${kind}.name`)}
              />
              <TextInput
                label={t('contacts.jobTitle')}
                description={t('entityForm.optional')}
                maxLength={120}
                key={form.key(`${kind}.title`)}
                {...form.getInputProps(`${kind}.title`)}
              />
              <TextInput
                label={t('contacts.email')}
                type="email"
                dir="ltr"
                maxLength={254}
                key={form.key(`${kind}.email`)}
                {...form.getInputProps(`${kind}.email`)}
              />
              <TextInput
                label={t('contacts.phone')}
                description={t('contacts.phoneHint')}
                type="tel"
                dir="ltr"
                maxLength={25}
                key={form.key(`${kind}.phone`)}
                {...form.getInputProps(`${kind}.phone`)}
              />
            </SimpleGrid>
          </Fieldset>
        ))}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('contacts.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
